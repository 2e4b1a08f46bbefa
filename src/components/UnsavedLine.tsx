import './UnsavedLine.css'

/**
 * "Unsaved changes. Discard changes" beside an editor's Save: what is shown is a draft (typed
 * here, or kept on the device from before a reload), not what was saved.
 */
export function UnsavedLine({ onDiscard }: { onDiscard: () => void }) {
  return (
    <p class="unsaved" data-testid="unsaved">
      Unsaved changes.{' '}
      <button type="button" class="link-button" onClick={onDiscard}>
        Discard changes
      </button>
    </p>
  )
}
