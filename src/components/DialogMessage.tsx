import { useRef } from 'preact/hooks'
import { toast } from '../data/alerts'

/**
 * The toast of something done while a dialog is open, said inside it. The page's own toast sits
 * under the modal's backdrop, and the browser makes it inert with the rest of the page: a save
 * refused from Job details or the signature sheet (Offline Enabled off, a full device) was neither
 * seen nor heard, and the sheet simply stayed open. The live region is there from the start (a
 * region added with its words is often not announced); a message from before the dialog opened
 * is not repeated. A form that says the error itself (FormError) takes it off the toast.
 */
export function DialogMessage() {
  // The toast as it was at opening; the same message given again counts up under the same id.
  const before = useRef(toast.peek())
  const t = toast.value
  const b = before.current
  const mine = t && (!b || t.id !== b.id || t.count > b.count) ? t : null
  return (
    <p
      role="status"
      class={mine ? `dialog-message dialog-message-${mine.tone}` : 'dialog-message-empty'}
      data-testid={mine ? 'dialog-message' : undefined}
    >
      {mine?.text}
    </p>
  )
}
