import { dismissToast, toast } from '../data/alerts'
import './Toasts.css'

/**
 * The one toast. Its message sits in a live region that is always on the page (a region added
 * with its message is often not announced); the Dismiss button is outside that region, so a
 * screen reader hears the message alone, and the message is text, not a button named by it.
 */
export function Toasts() {
  const t = toast.value
  return (
    <div class="toasts">
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
