import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { OutboxEntry } from '../../offline/outboxEntry'
import { focusScreenHeading } from '../app/focusHeading'
import { Dialog } from '../components/Dialog'
import { Icon } from '../components/Icon'
import { PendingBadge } from '../components/PendingBadge'
import { TopBar } from '../components/TopBar'
import { previewOf } from '../data/entryPreview'
import { useLiveQuery } from '../data/live'
import { conflictCount, failedCount, outbox, waitingCount } from '../data/outboxState'
import { formFieldLabels } from '../data/queries'
import { discardAction, retryAction } from '../data/queueCommands'
import { href, route } from '../data/router'
import { activeDb } from '../data/session'
import { entryStatus, othersWords, uploadInFlight } from '../data/statusWords'
import { formatBytes } from '../data/storage'
import { lastSyncAt, uploadProgress } from '../data/sync'
import { formatAgo, formatStamp } from '../format'
import { ConflictCard } from './ConflictCard'
import './OfflineActions.css'

/** Settings → Offline Actions: the queue, oldest first, or "All caught up" when empty. */
export function OfflineActions() {
  const entries = outbox.value
  const discarding = useSignal<OutboxEntry | null>(null)
  // Opened from a CONFLICT mark (#/settings/actions/<seq>): bring that card into view and focus.
  const r = route.value
  const focus = r.name === 'actions' ? r.focus : undefined
  const found = entries.some((e) => e.seq === focus)
  useEffect(() => {
    if (!found || focus === undefined) return
    const el = document.getElementById(`action-${focus}`)
    el?.scrollIntoView({ block: 'start' })
    el?.focus({ preventScroll: true })
  }, [focus, found])
  const db = activeDb()
  const labels = useLiveQuery(async () => (db ? formFieldLabels(db) : new Map()), [db])
  return (
    <>
      <TopBar title="Offline Actions" back="#/settings" />
      {/* One live region, always on the screen, for the state of the whole queue: the summary
          while actions wait, "All caught up" when the last one is on the server. A region that
          came with its words (the old summary, gone with the list) was not heard leaving. */}
      <div role="status" class="queue-status">
        {entries.length === 0 ? (
          <section class="caught-up" data-testid="all-caught-up">
            <div class="caught-up-icon">
              <Icon name="check" size={48} />
            </div>
            <h2>All caught up</h2>
            <p class="muted">
              Everything you saved is on the server.
              {lastSyncAt.value && ` Last sync ${formatAgo(lastSyncAt.value)}.`}
            </p>
          </section>
        ) : (
          <QueueSummary />
        )}
      </div>
      {entries.length > 0 && (
        <ul class="list actions" data-testid="outbox">
          {entries.map((e) => (
            <Item
              // By id, not seq: Retry and Discard renumber the entries after them, and a card
              // drawn anew under its new number lost the keyboard focus it had.
              key={e.id}
              entry={e}
              fieldLabels={labels.value ?? new Map()}
              onDiscard={() => (discarding.value = e)}
            />
          ))}
        </ul>
      )}
      {discarding.value && (
        <Dialog alert title="Discard this action?" onClose={() => (discarding.value = null)}>
          <p>
            “{discarding.value.label}” will not be uploaded, and the change is taken back on this
            device. This cannot be undone.
          </p>
          <div class="dialog-buttons">
            <button type="button" class="button primary" onClick={() => (discarding.value = null)}>
              Keep it
            </button>
            <button
              type="button"
              class="button danger"
              data-testid="confirm-discard"
              onClick={() => {
                const seq = discarding.value?.seq as number
                // The keyboard goes on to the action in its place (the next, else the one
                // before), not to the top of the screen as the focused item disappears.
                const list = outbox.peek()
                const at = list.findIndex((x) => x.seq === seq)
                const neighbour = (list[at + 1] ?? list[at - 1])?.id
                discarding.value = null
                void discardAction(seq).then(() => focusItem(neighbour))
              }}
            >
              Discard
            </button>
          </div>
        </Dialog>
      )}
    </>
  )
}

/**
 * Focus on an action of the list (its card), found by its id: Retry and Discard give the entries
 * after them new sequence numbers (outbox.ts resequenceFrom). The screen's heading when it is
 * gone. After the list has drawn the change.
 */
function focusItem(id: string | undefined): void {
  setTimeout(() => {
    const el = id === undefined ? null : document.querySelector<HTMLElement>(`[data-entry="${id}"]`)
    if (el) el.focus()
    else focusScreenHeading()
  }, 50)
}

/** One line over the list: uploading now, or how many wait (and for what), and what failed. */
function QueueSummary() {
  const progress = uploadProgress.value
  const waiting = waitingCount.value
  const failed = failedCount.value
  const conflicts = conflictCount.value
  const uploading = progress && uploadInFlight.value
  const failedWords =
    failed > 0
      ? ` ${failed === 1 ? '1 action' : `${failed} actions`} could not upload: Retry or Discard ${failed === 1 ? 'it' : 'them'} below.${waiting > 0 ? ` ${othersWords()}` : ''}`
      : ''
  const conflictWords =
    conflicts > 0
      ? ` ${conflicts === 1 ? '1 change needs' : `${conflicts} changes need`} your choice below: the office changed ${conflicts === 1 ? 'it' : 'them'} too.`
      : ''
  const waitingWords = waiting > 0 ? `${waiting} waiting to upload, oldest first.` : ''
  // One region, seen and heard: the same sentence twice made "4 waiting to upload, oldest
  // first." appear twice on the page. While uploading, the count that ticks up with every action
  // ("Uploading 7 of 40", forty times) is seen only; a screen reader hears what it is doing.
  return (
    <p class="muted small queue-summary">
      {uploading ? (
        <>
          <span aria-hidden="true">
            Uploading {Math.min(progress.done + 1, progress.total)} of {progress.total}.
          </span>
          <span class="visually-hidden">
            Uploading {progress.total === 1 ? '1 action' : `${progress.total} actions`}.
          </span>
        </>
      ) : (
        waitingWords
      )}
      {failedWords}
      {conflictWords}
    </p>
  )
}

function Item(props: {
  entry: OutboxEntry
  fieldLabels: Map<string, string>
  onDiscard: () => void
}) {
  const e = props.entry
  const seq = e.seq as number
  const preview = previewOf(e, props.fieldLabels)
  const named = `${e.label}, ${formatStamp(e.at)}`
  return (
    <li
      class={`card action action-${e.status}`}
      data-testid="outbox-item"
      data-entry={e.id}
      id={`action-${seq}`}
      tabIndex={-1}
    >
      <a href={e.jobId ? href({ name: 'job', id: e.jobId }) : undefined} class="action-main">
        {preview.thumbnail && <img class="action-thumb" src={preview.thumbnail} alt="" />}
        <span class="action-words">
          <span class="action-label" id={`action-${seq}-label`}>
            {e.label}
          </span>
          {preview.text && (
            <span class="action-preview" data-testid="action-preview">
              {preview.text}
            </span>
          )}
          <span class="action-meta">
            <span class="muted small">
              {formatStamp(e.at)}
              {e.file && ` · ${formatBytes(e.file.size)}`}
              {e.attempts > 0 && ` · ${e.attempts} ${e.attempts === 1 ? 'attempt' : 'attempts'}`}
            </span>
            <PendingBadge shown={entryStatus(e.status, e.sent)} />
          </span>
        </span>
      </a>
      {e.status === 'failed' && (
        <div class="action-failed">
          <p class="error" data-testid="failure-reason" id={`action-${seq}-reason`}>
            {e.reason}
          </p>
          <div class="button-row">
            {/* Several failures each have a Retry: the name says which action ("Retry Note on
                Job #1255, 10:42 AM"), the description why. */}
            <button
              type="button"
              class="button small"
              aria-describedby={`action-${seq}-reason`}
              onClick={() => void retryAction(seq).then(() => focusItem(e.id))}
            >
              Retry<span class="visually-hidden"> {named}</span>
            </button>
            <button
              type="button"
              class="button small"
              aria-describedby={`action-${seq}-reason`}
              onClick={props.onDiscard}
            >
              Discard<span class="visually-hidden"> {named}</span>
            </button>
          </div>
        </div>
      )}
      {/* Chosen: the keyboard stays on this action (now Queued), not sent to Back. */}
      {e.status === 'conflict' && <ConflictCard entry={e} onChosen={() => focusItem(e.id)} />}
    </li>
  )
}
