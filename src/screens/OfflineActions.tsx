import { useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import type { OutboxEntry } from '../../offline/outboxEntry'
import { Icon } from '../components/Icon'
import { PendingBadge } from '../components/PendingBadge'
import { TopBar } from '../components/TopBar'
import { discardAction, retryAction } from '../data/commands'
import { failedCount, outbox, waitingCount } from '../data/outboxState'
import { href, route } from '../data/router'
import { formatBytes } from '../data/storage'
import { lastSyncAt, uploadProgress } from '../data/sync'
import { formatAgo, formatStamp } from '../format'
import { ConflictCard } from './ConflictCard'

/** Settings → Offline Actions: the queue, oldest first, or "All caught up" when empty. */
export function OfflineActions() {
  const entries = outbox.value
  const discarding = useSignal<OutboxEntry | null>(null)
  const progress = uploadProgress.value
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
  return (
    <>
      <TopBar title="Offline Actions" back="#/settings" />
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
        <>
          <p class="muted small queue-summary">
            {progress
              ? `Uploading ${Math.min(progress.done + 1, progress.total)} of ${progress.total}`
              : waitingCount.value > 0 && `${waitingCount.value} waiting to upload, oldest first.`}
            {failedCount.value > 0 &&
              ` ${failedCount.value === 1 ? '1 action' : `${failedCount.value} actions`} could not upload: Retry or Discard ${failedCount.value === 1 ? 'it' : 'them'} below; the others keep uploading.`}
          </p>
          <ul class="list" data-testid="outbox">
            {entries.map((e) => (
              <Item key={e.seq} entry={e} onDiscard={() => (discarding.value = e)} />
            ))}
          </ul>
        </>
      )}
      {discarding.value && (
        <div class="dialog-backdrop">
          <div class="dialog" role="alertdialog" aria-labelledby="discard-title">
            <h2 id="discard-title">Discard this action?</h2>
            <p>
              “{discarding.value.label}” will not be uploaded, and the change is taken back on this
              device. This cannot be undone.
            </p>
            <div class="dialog-buttons">
              <button
                type="button"
                class="button primary"
                onClick={() => (discarding.value = null)}
              >
                Keep it
              </button>
              <button
                type="button"
                class="button danger"
                data-testid="confirm-discard"
                onClick={() => {
                  const seq = discarding.value?.seq as number
                  discarding.value = null
                  void discardAction(seq)
                }}
              >
                Discard
              </button>
            </div>
          </div>
        </div>
      )}
    </>
  )
}

function Item({ entry: e, onDiscard }: { entry: OutboxEntry; onDiscard: () => void }) {
  const seq = e.seq as number
  return (
    <li
      class={`card action action-${e.status}`}
      data-testid="outbox-item"
      id={`action-${seq}`}
      tabIndex={-1}
    >
      <a href={e.jobId ? href({ name: 'job', id: e.jobId }) : undefined} class="action-main">
        <span class="action-label">{e.label}</span>
        <span class="muted small">
          {formatStamp(e.at)}
          {e.file && ` · ${formatBytes(e.file.size)}`}
          {e.attempts > 0 && ` · ${e.attempts} ${e.attempts === 1 ? 'attempt' : 'attempts'}`}
        </span>
      </a>
      <PendingBadge status={e.status} />
      {e.status === 'failed' && (
        <div class="action-failed">
          <p class="error" data-testid="failure-reason">
            {e.reason}
          </p>
          <div class="button-row">
            <button type="button" class="button small" onClick={() => void retryAction(seq)}>
              Retry
            </button>
            <button type="button" class="button small" onClick={onDiscard}>
              Discard
            </button>
          </div>
        </div>
      )}
      {e.status === 'conflict' && <ConflictCard entry={e} />}
    </li>
  )
}
