import { announcement, dismissToast, toast } from '../data/alerts'
import './Toasts.css'

/**
 * The one toast. Its message sits in a live region that is always on the page (a region added
 * with its message is often not announced); the Dismiss button is outside that region, so a
 * screen reader hears the message alone, and the message is text, not a button named by it.
 */
export function Toasts() {
  const t = toast.value
  const said = announcement.value
  return (
    <div class="toasts">
      {/* Keyed by count: a new node with the same words is announced again. */}
      <p role="status" class="visually-hidden" data-testid="announcement">
        <span key={said.n}>{said.text}</span>
      </p>
      <div class={t ? `toast toast-${t.tone}` : 'toast-empty'}>
        <p role="status" class="toast-text" data-testid={t ? 'toast' : undefined}>
          {t?.text}
        </p>
        {t && (
          <button
            type="button"
            class="toast-dismiss"
            aria-label="Dismiss message"
            onClick={dismissToast}
          >
            ×
          </button>
        )}
      </div>
    </div>
  )
}
