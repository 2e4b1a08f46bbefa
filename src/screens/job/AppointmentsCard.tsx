import { useSignal } from '@preact/signals'
import type { Appointment } from '../../../protocol/entities'
import { Dialog } from '../../components/Dialog'
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
          New
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
                Move
              </button>
            </li>
          )
        })}
      </ul>
      {editing.value && (
        <AppointmentSheet
          jobId={jobId}
          appointment={editing.value === 'new' ? null : editing.value}
          onClose={() => (editing.value = null)}
        />
      )}
    </section>
  )
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
  onClose: () => void
}) {
  const a = props.appointment
  const start = a
    ? toLocalInput(a.startsAt)
    : toLocalInput(new Date(Date.now() + 86_400_000).toISOString())
  const end = a
    ? toLocalInput(a.endsAt)
    : toLocalInput(new Date(Date.now() + 86_400_000 + 3_600_000).toISOString())
  const error = useSignal<string | null>(null)
  async function save(e: Event) {
    e.preventDefault()
    const f = new FormData(e.currentTarget as HTMLFormElement)
    const startsAt = new Date(String(f.get('start'))).toISOString()
    const endsAt = new Date(String(f.get('end'))).toISOString()
    if (endsAt <= startsAt) {
      error.value = 'The end must be after the start.'
      return
    }
    const res = a
      ? await rescheduleAppointment(a, startsAt, endsAt)
      : await createAppointment(props.jobId, startsAt, endsAt)
    if (res.ok) props.onClose()
  }
  return (
    <Dialog title={a ? 'Move appointment' : 'New appointment'} onClose={props.onClose}>
      <form class="form" onSubmit={save}>
        <label>
          Starts
          <input type="datetime-local" name="start" required value={start} />
        </label>
        <label>
          Ends
          <input type="datetime-local" name="end" required value={end} />
        </label>
        {error.value && <p class="error">{error.value}</p>}
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
