import { dismissToast, toast } from '../data/alerts'
import './Toasts.css'

/**
 * The one toast, in a live region that is always on the page (a region added with its message
 * is often not announced). Tapping it dismisses it.
 */
export function Toasts() {
  const t = toast.value
  return (
    <div class="toasts" role="status">
      {t && (
        <button
          type="button"
          key={t.id}
          class={`toast toast-${t.tone}`}
          data-testid="toast"
          onClick={dismissToast}
        >
          {t.text}
        </button>
      )}
    </div>
  )
}
