import { announce } from '../data/alerts'
import './UnsavedLine.css'

/**
 * "Unsaved changes. Discard changes" beside an editor's Save: what is shown is a draft (typed
 * here, or kept on the device from before a reload), not what was saved. Discarding removes the
 * line and its button: the keyboard goes to the form's Save (where it was, near the end of the
 * form), not to the form's first control, and the change is said.
 */
export function UnsavedLine({ onDiscard }: { onDiscard: () => void }) {
  return (
    <p class="unsaved" data-testid="unsaved">
      Unsaved changes.{' '}
      <button
        type="button"
        class="link-button"
        onClick={(e) => {
          const form = (e.currentTarget as HTMLElement).closest('form')
          onDiscard()
          announce('Changes discarded.')
          requestAnimationFrame(() => form?.querySelector<HTMLElement>('[type="submit"]')?.focus())
        }}
      >
        Discard changes
      </button>
    </p>
  )
}
