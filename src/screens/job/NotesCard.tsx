import { useSignal } from '@preact/signals'
import type { Note } from '../../../protocol/entities'
import { PendingBadge } from '../../components/PendingBadge'
import { addNote } from '../../data/commands'
import { useLiveQuery } from '../../data/live'
import { pendingStatus } from '../../data/outboxState'
import { notesOf } from '../../data/queries'
import { activeDb } from '../../data/session'
import { formatStamp } from '../../format'
import './NotesCard.css'

/** Notes, newest first, and the box to add one. Note text is always rendered as text. */
export function NotesCard({ jobId }: { jobId: string }) {
  const db = activeDb()
  const live = useLiveQuery(async () => (db ? notesOf(db, jobId) : []), [db, jobId])
  const notes: Note[] = live.value ?? []
  return (
    <section class="card">
      <h2 class="card-title">Notes</h2>
      <NoteForm jobId={jobId} />
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
  )
}

function NoteForm({ jobId }: { jobId: string }) {
  const text = useSignal('')
  const saving = useSignal(false)
  async function save(e: Event) {
    e.preventDefault()
    if (!text.value.trim() || saving.value) return
    saving.value = true
    // Clear before the save, not after it: whatever is typed while it runs must not be wiped.
    const body = text.value
    text.value = ''
    const result = await addNote(jobId, body)
    saving.value = false
    if (!result.ok && !text.value) text.value = body
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
      {/* Never disabled: a disabled button drops the keyboard focus of whoever pressed it (the
          box empties on save, which would disable it under their finger). */}
      <button
        type="submit"
        class={`button primary${text.value.trim() ? '' : ' disabled'}`}
        aria-disabled={!text.value.trim()}
      >
        Save note
      </button>
    </form>
  )
}
