import { useSignal } from '@preact/signals'
import { useId } from 'preact/hooks'
import type { Appointment } from '../../../protocol/entities'
import { DAYS_AHEAD, DAYS_BACK, syncWindow } from '../../../protocol/window'
import { Dialog } from '../../components/Dialog'
import { FormError, type FormProblem, fieldProps, showProblem } from '../../components/FormError'
import { PendingBadge } from '../../components/PendingBadge'
import { createAppointment, rescheduleAppointment } from '../../data/commands'
import { pendingStatus } from '../../data/outboxState'
import { formatShortDay, formatTime, STATUS_WORDS } from '../../format'

/** The job's visits; each can be moved, and a new one booked, offline. */
export function AppointmentsCard({
  jobId,
  appointments,
}: {
  jobId: string
  appointments: Appointment[]
}) {
  const editing = useSignal<Appointment | 'new' | null>(null)
  return (
    <section class="card">
      <div class="row-between">
        <h2 class="card-title">Appointments</h2>
        <button type="button" class="button small" onClick={() => (editing.value = 'new')}>
          New<span class="visually-hidden"> appointment</span>
        </button>
      </div>
      <ul class="rows" data-testid="appointments-of-job">
        {appointments.map((a) => {
          const status = pendingStatus(a.id)
          return (
            <li key={a.id} class={status ? 'pending' : ''}>
              <span>
                <span class="nowrap">{formatShortDay(a.startsAt)}</span>,{' '}
                <span class="nowrap">{formatTime(a.startsAt)}</span>–
                <span class="nowrap">{formatTime(a.endsAt)}</span> · {STATUS_WORDS[a.status]}{' '}
                <PendingBadge status={status} />
              </span>
              <button type="button" class="button small" onClick={() => (editing.value = a)}>
                {/* One Move per visit: the name says which. */}
                Move
                <span class="visually-hidden">
                  {' '}
                  appointment on {formatShortDay(a.startsAt)}, {formatTime(a.startsAt)}
                </span>
              </button>
            </li>
          )
        })}
      </ul>
      {editing.value && (
        <AppointmentSheet
          jobId={jobId}
          appointment={editing.value === 'new' ? null : editing.value}
          // By id: the live query answers with new objects while the sheet is open.
          others={appointments.filter((a) => editing.value === 'new' || a.id !== editing.value?.id)}
          onClose={() => (editing.value = null)}
        />
      )}
    </section>
  )
}

/** Whether a visit starting at `from` takes the job out of the days the device keeps. */
function leavesDevice(from: Date, others: Appointment[]): boolean {
  if (Number.isNaN(from.getTime())) return false
  const { from: first, to: last } = syncWindow(new Date())
  const inside = (iso: string) => iso >= first && iso < last
  return !inside(from.toISOString()) && !others.some((o) => inside(o.startsAt))
}

const pad = (n: number) => String(n).padStart(2, '0')
/** ISO → the value a datetime-local input wants, in the device's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

function AppointmentSheet(props: {
  jobId: string
  appointment: Appointment | null
  /** The job's other visits: while one is in the window, the job stays on the device. */
  others: Appointment[]
  onClose: () => void
}) {
  const a = props.appointment
  const start = a
    ? toLocalInput(a.startsAt)
    : toLocalInput(new Date(Date.now() + 86_400_000).toISOString())
  const end = a
    ? toLocalInput(a.endsAt)
    : toLocalInput(new Date(Date.now() + 86_400_000 + 3_600_000).toISOString())
  const error = useSignal<FormProblem | null>(null)
  const errorId = useId()
  const leaves = useSignal(false)
  // An end before the start is said as soon as it is so, not only on Save. (The times are not
  // moved for the technician: a field that changes by itself surprises whoever typed in it.)
  function checkRange(e: Event) {
    const form = (e.currentTarget as HTMLInputElement).form
    if (!form) return
    const f = new FormData(form)
    const [from, to] = [new Date(String(f.get('start'))), new Date(String(f.get('end')))]
    const bad = !Number.isNaN(from.getTime()) && !Number.isNaN(to.getTime()) && to <= from
    if (bad) error.value = { message: 'The end must be after the start.', field: 'end' }
    else if (error.value?.field === 'end' || error.value?.field === 'start') error.value = null
    leaves.value = leavesDevice(from, props.others)
  }
  async function save(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    const f = new FormData(form)
    // A date typed by keyboard can be one no Date holds (year 120120): say so, not throw.
    const from = new Date(String(f.get('start')))
    const to = new Date(String(f.get('end')))
    if (Number.isNaN(from.getTime())) {
      showProblem(form, error, { message: 'Enter the start date and time.', field: 'start' })
      return
    }
    if (Number.isNaN(to.getTime())) {
      showProblem(form, error, { message: 'Enter the end date and time.', field: 'end' })
      return
    }
    if (to <= from) {
      showProblem(form, error, { message: 'The end must be after the start.', field: 'end' })
      return
    }
    // Saved unchanged: nothing to move, so nothing queued (it used to add "Appointment moved" to
    // the same time, and a Queued mark on a visit nobody changed).
    if (a && Date.parse(a.startsAt) === from.getTime() && Date.parse(a.endsAt) === to.getTime()) {
      props.onClose()
      return
    }
    const startsAt = from.toISOString()
    const endsAt = to.toISOString()
    const res = a
      ? await rescheduleAppointment(a, startsAt, endsAt)
      : await createAppointment(props.jobId, startsAt, endsAt)
    if (res.ok) props.onClose()
    else error.value = { message: res.message }
  }
  return (
    <Dialog title={a ? 'Move appointment' : 'New appointment'} onClose={props.onClose}>
      <form class="form" onSubmit={save}>
        <label>
          Starts
          <input
            type="datetime-local"
            {...fieldProps(error.value, 'start', errorId)}
            required
            defaultValue={start}
            onChange={checkRange}
          />
        </label>
        <label>
          Ends
          <input
            type="datetime-local"
            {...fieldProps(error.value, 'end', errorId)}
            required
            defaultValue={end}
            onChange={checkRange}
          />
        </label>
        {/* defaultValue, not value: the fields are the browser's own, and showing an error
            re-renders the form, which with value= put back the times it opened with. */}
        <FormError id={errorId} problem={error.value} />
        {/* Said before Save, not found out after the next sync (server/db/movedOut.ts). Kept
            in the page, empty and out of the layout, so that screen readers announce it when it
            fills. */}
        <p class={leaves.value ? 'muted small' : 'visually-hidden'} role="status">
          {leaves.value &&
            `This device keeps visits from ${DAYS_BACK} days back to ${DAYS_AHEAD} ahead: moved there, this job leaves it at the next sync. The office still has it.`}
        </p>
        <div class="dialog-buttons">
          <button type="submit" class="button primary">
            Save
          </button>
          <button type="button" class="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  )
}
