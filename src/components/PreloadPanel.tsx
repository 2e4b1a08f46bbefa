import { connection } from '../data/connection'
import { formatBytes } from '../data/storage'
import { lastPullAt, preloadNow, preloadProgress, syncPhase } from '../data/sync'
import { formatAgo } from '../format'
import './PreloadPanel.css'

/** Pre-load: a button, its progress bar, then "Ready to work offline" with the time. */
export function PreloadPanel({ compact = false }: { compact?: boolean }) {
  const p = preloadProgress.value
  const busy = syncPhase.value !== 'idle'
  const online = connection.value === 'online'
  return (
    <section class={`card preload${compact ? ' compact' : ''}`} data-testid="preload">
      {/* Where Pre-load is pressed, what it is doing and that it is done are heard, not only
          seen (the counts that tick up are seen only). One region, so no words appear twice. */}
      <div role={compact ? undefined : 'status'}>
        {p ? (
          <>
            <p class="strong">
              {p.phase === 'data' ? 'Pre-loading your jobs…' : 'Pre-loading photos and PDFs…'}{' '}
              <span class="muted small" aria-hidden={compact ? undefined : 'true'}>
                {p.unit === 'bytes'
                  ? `${formatBytes(p.done)}${p.total ? ` of ${formatBytes(p.total)}` : ''}`
                  : `${p.done} of ${p.total}`}
              </span>
            </p>
            <progress
              aria-label="Pre-load progress"
              max={p.total ?? undefined}
              value={p.total ? p.done : undefined}
              data-testid="preload-progress"
            />
          </>
        ) : lastPullAt.value ? (
          <p class="ready" data-testid="preload-ready">
            <strong>Ready to work offline</strong>{' '}
            <span class="muted small">· pre-loaded {formatAgo(lastPullAt.value)}</span>
          </p>
        ) : (
          <p class="muted">Not pre-loaded yet.</p>
        )}
      </div>
      {!compact && (
        <>
          <p class="muted small">
            Tip: pre-load at the start of each day and right before you head to an area with poor
            signal.
          </p>
          {/* Not disabled while it runs: a disabled button dropped the keyboard focus of whoever
              pressed it to the page body. aria-disabled says it cannot be used now. */}
          <button
            type="button"
            class={`button primary${busy || !online ? ' disabled' : ''}`}
            aria-disabled={busy || !online}
            data-testid="preload-button"
            onClick={() => {
              if (!busy && online) void preloadNow()
            }}
          >
            {online ? 'Pre-load' : 'Pre-load needs a connection'}
          </button>
        </>
      )}
    </section>
  )
}
