import { useSignal } from '@preact/signals'
import { Icon } from '../components/Icon'
import { PendingBadge } from '../components/PendingBadge'
import { TopBar } from '../components/TopBar'
import { addNote } from '../data/commands'
import { useLiveQuery } from '../data/live'
import { pendingStatus } from '../data/outboxState'
import { jobDetail } from '../data/queries'
import { activeDb } from '../data/session'
import { formatShortDay, formatStamp, formatTime, mapsLink, STATUS_WORDS } from '../format'

export function JobScreen({ id }: { id: string }) {
  const db = activeDb()
  const detail = useLiveQuery(async () => (db ? jobDetail(db, id) : null), [db, id])
  const d = detail.value
  if (d === undefined) return <TopBar title="Job" back="#/" />
  if (d === null) {
    return (
      <>
        <TopBar title="Job" back="#/" />
        <p class="empty">This job is not on this device.</p>
      </>
    )
  }
  const { job, customer, appointments, notes } = d
  return (
    <>
      <TopBar title={`Job #${job.number}`} back="#/" />
      <section class={`card job${pendingStatus(job.id) ? ' pending' : ''}`}>
        <h2 data-testid="job-title">{job.title}</h2>
        <p class="status-line">
          <span class={`status status-${job.status}`}>{STATUS_WORDS[job.status]}</span>
          <PendingBadge status={pendingStatus(job.id)} />
        </p>
        <p class="description">{job.description}</p>
        <a class="row-link" href={mapsLink(job.address)} target="_blank" rel="noreferrer">
          <Icon name="map" />
          <span>{job.address}</span>
        </a>
      </section>

      {customer && (
        <section class="card">
          <h3>Customer</h3>
          <p class="strong">{customer.name}</p>
          {customer.phones.map((p) => (
            <a key={p} class="row-link" href={`tel:${p.replace(/[^+\d]/g, '')}`}>
              <Icon name="phone" />
              <span>{p}</span>
            </a>
          ))}
          {customer.email && (
            <a class="row-link" href={`mailto:${customer.email}`}>
              <span>{customer.email}</span>
            </a>
          )}
          {customer.address !== job.address && <p class="muted">{customer.address}</p>}
        </section>
      )}

      {appointments.length > 0 && (
        <section class="card">
          <h3>Appointments</h3>
          <ul class="plain">
            {appointments.map((a) => (
              <li key={a.id}>
                {formatShortDay(a.startsAt)}, {formatTime(a.startsAt)}–{formatTime(a.endsAt)} ·{' '}
                {STATUS_WORDS[a.status]}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section class="card">
        <h3>Notes</h3>
        <NoteForm jobId={job.id} />
        {notes.length === 0 ? (
          <p class="muted">No notes yet.</p>
        ) : (
          <ul class="notes" data-testid="notes">
            {notes.map((n) => {
              const status = pendingStatus(n.id)
              return (
                <li key={n.id} class={status ? 'pending' : ''} data-testid="note">
                  <p class="note-body">{n.body}</p>
                  <p class="muted small">
                    {n.authorName} · {formatStamp(n.createdAt)} <PendingBadge status={status} />
                  </p>
                </li>
              )
            })}
          </ul>
        )}
      </section>
    </>
  )
}

function NoteForm({ jobId }: { jobId: string }) {
  const text = useSignal('')
  const saving = useSignal(false)
  async function save(e: Event) {
    e.preventDefault()
    if (!text.value.trim() || saving.value) return
    saving.value = true
    const result = await addNote(jobId, text.value)
    saving.value = false
    if (result.ok) text.value = ''
  }
  return (
    <form class="note-form" onSubmit={save}>
      <label class="visually-hidden" for="note-text">
        New note
      </label>
      <textarea
        id="note-text"
        name="note"
        rows={3}
        placeholder="Add a note…"
        maxLength={10_000}
        value={text.value}
        onInput={(e) => {
          text.value = (e.currentTarget as HTMLTextAreaElement).value
        }}
      />
      <button type="submit" class="button primary" disabled={!text.value.trim() || saving.value}>
        Save note
      </button>
    </form>
  )
}
