import { type Signal, useSignal, useSignalEffect } from '@preact/signals'
import { Component } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { Note } from '../../../protocol/entities'
import { PendingBadge } from '../../components/PendingBadge'
import { UnsavedLine } from '../../components/UnsavedLine'
import { addNote } from '../../data/commands'
import { draftOf, keepDraft, useDraftArrival } from '../../data/drafts'
import { useLiveQuery } from '../../data/live'
import { pendingStatus } from '../../data/outboxState'
import { notesOf } from '../../data/queries'
import { activeDb } from '../../data/session'
import { formatStamp } from '../../format'
import './NotesCard.css'

/**
 * Notes, newest first, and the box to add one. Note text is always rendered as text.
 *
 * A note saved here shows as soon as its transaction commits (`saved`: the row addNote returns),
 * not a live-query round trip later; once the live query has it too, it is dropped from `saved`,
 * so a later change (an undone action) shows as usual. Only this card re-renders.
 */
export function NotesCard({ jobId }: { jobId: string }) {
  const db = activeDb()
  const live = useLiveQuery(async () => (db ? notesOf(db, jobId) : []), [db, jobId])
  const saved = useSignal<Note[]>([])
  const liveNotes: Note[] = live.value ?? []
  const liveIds = new Set(liveNotes.map((n) => n.id))
  // This job's only: the card may be reused when the screen moves to another job.
  const early = saved.value.filter((n) => n.jobId === jobId && !liveIds.has(n.id))
  useEffect(() => {
    if (early.length !== saved.value.length) saved.value = early
  }, [live.value, saved.value])
  const notes = early.length === 0 ? liveNotes : [...early, ...liveNotes]
  if (early.length > 0) notes.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return (
    <section class="card">
      <h2 class="card-title">Notes</h2>
      <NoteForm key={jobId} jobId={jobId} saved={saved} />
      {notes.length === 0 ? (
        <p class="muted">No notes yet.</p>
      ) : (
        <ul class="notes" data-testid="notes">
          {notes.map((n) => (
            <NoteItem
              key={n.id}
              note={n}
              // Just committed: queued, even before the outbox's own live query says so.
              status={pendingStatus(n.id) ?? (liveIds.has(n.id) ? undefined : 'queued')}
            />
          ))}
        </ul>
      )}
    </section>
  )
}

type NoteItemProps = { note: Note; status: ReturnType<typeof pendingStatus> }

/**
 * One note. Skips its render when nothing it shows changed: each save re-renders the card, and
 * with a job's notes in the hundreds, diffing every item was most of a save's time after the
 * write (the action-latency bench). Compared by value: a live query answers with new objects.
 */
class NoteItem extends Component<NoteItemProps> {
  override shouldComponentUpdate(next: NoteItemProps): boolean {
    const a = this.props.note
    const b = next.note
    return (
      next.status !== this.props.status ||
      a.id !== b.id ||
      a.body !== b.body ||
      a.authorName !== b.authorName ||
      a.createdAt !== b.createdAt
    )
  }

  override render({ note, status }: NoteItemProps) {
    return (
      <li class={status ? 'pending' : ''} data-testid="note">
        <p class="note-body">{note.body}</p>
        <p class="muted small">
          {note.authorName} · {formatStamp(note.createdAt)} <PendingBadge status={status} />
        </p>
      </li>
    )
  }
}

function NoteForm({ jobId, saved }: { jobId: string; saved: Signal<Note[]> }) {
  // What was typed and not saved comes back when the technician returns to the job, or opens
  // the app again after a reload or the phone killed it (kept on the device: data/drafts.ts).
  const text = useSignal(draftOf('note', jobId))
  useDraftArrival<string>('note', jobId, (kept) => {
    if (!text.value) text.value = kept
  })
  useSignalEffect(() => keepDraft('note', jobId, text.value))
  // Saves run one after another in the order tapped: a second note saved while the first is
  // still being written is queued behind it, not dropped.
  const queue = useRef<Promise<void>>(Promise.resolve())
  function save(e: Event) {
    e.preventDefault()
    const body = text.value
    if (!body.trim()) return
    // Clear before the save, not after it: whatever is typed while it runs must not be wiped.
    text.value = ''
    queue.current = queue.current
      .then(async () => {
        const result = await addNote(jobId, body)
        if (result.ok && result.note) saved.value = [result.note, ...saved.value]
        if (!result.ok && !text.value) text.value = body
      })
      // Put the text back rather than lose it; the queue goes on for the next save.
      .catch(() => {
        if (!text.value) text.value = body
      })
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
      {/* After Save in the tab order: typing then Tab reaches Save, as before. */}
      {text.value && <UnsavedLine onDiscard={() => (text.value = '')} />}
    </form>
  )
}
