import { Icon } from '../components/Icon'
import { PendingBadge } from '../components/PendingBadge'
import { TopBar } from '../components/TopBar'
import { retryAction } from '../data/commands'
import { outbox } from '../data/outboxState'
import { href } from '../data/router'
import { lastSyncAt } from '../data/sync'
import { formatAgo, formatStamp } from '../format'

/** Settings → Offline Actions: the queue, oldest first, or "All caught up" when empty. */
export function OfflineActions() {
  const entries = outbox.value
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
        <ul class="list" data-testid="outbox">
          {entries.map((e) => (
            <li key={e.seq} class={`card action action-${e.status}`} data-testid="outbox-item">
              <a
                href={e.jobId ? href({ name: 'job', id: e.jobId }) : undefined}
                class="action-main"
              >
                <span class="action-label">{e.label}</span>
                <span class="muted small">
                  {formatStamp(e.at)}
                  {e.attempts > 0 &&
                    ` · ${e.attempts} ${e.attempts === 1 ? 'attempt' : 'attempts'}`}
                </span>
              </a>
              <PendingBadge status={e.status} />
              {e.status === 'failed' && (
                <div class="action-failed">
                  <p class="error">{e.reason}</p>
                  <button
                    type="button"
                    class="button small"
                    onClick={() => void retryAction(e.seq as number)}
                  >
                    Retry
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
