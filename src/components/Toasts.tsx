import { dismissToast, toasts } from '../data/alerts'

export function Toasts() {
  return (
    <div class="toasts" aria-live="polite">
      {toasts.value.map((t) => (
        <button
          type="button"
          key={t.id}
          class={`toast toast-${t.tone}`}
          data-testid="toast"
          onClick={() => dismissToast(t.id)}
        >
          {t.text}
        </button>
      ))}
    </div>
  )
}
