import type { ComponentChildren } from 'preact'
import { useId, useLayoutEffect, useRef } from 'preact/hooks'
import { focusScreenHeading } from '../app/focusHeading'
import { hideOthers } from '../app/hideOthers'
import { TABBABLE } from '../app/tabbable'
import { Breakable } from './Breakable'
import { DialogMessage } from './DialogMessage'
import './Dialog.css'

/**
 * Tab from the last control goes back to the first (and Shift+Tab the other way). The browser's
 * own modal lets Tab leave for its toolbar, which, with no toolbar (a kiosk, a full-screen app),
 * leaves focus nowhere.
 */
function keepTabInside(e: KeyboardEvent): void {
  if (e.key !== 'Tab') return
  const dialog = e.currentTarget as HTMLElement
  const items = [...dialog.querySelectorAll<HTMLElement>(TABBABLE)].filter(
    (el) => el.getClientRects().length > 0,
  )
  const first = items[0]
  const last = items[items.length - 1]
  if (!first || !last) return
  const at = document.activeElement
  if (e.shiftKey && (at === first || !dialog.contains(at) || at?.tagName === 'H2')) {
    e.preventDefault()
    last.focus()
  } else if (!e.shiftKey && (at === last || !dialog.contains(at))) {
    e.preventDefault()
    first.focus()
  }
}

/**
 * A modal on the native <dialog>, opened with showModal(): the browser moves it to the top layer
 * (its backdrop covers the whole window), makes the page behind it inert for pointer, keyboard and
 * screen reader, and turns Escape into a `cancel` event. Focus goes to the title (read first,
 * and no keyboard pops up over a phone's screen); Tab then walks the dialog only. When it closes,
 * focus returns to what opened it, or to the screen's heading when that is gone.
 *
 * `sheet`: a bottom sheet on phones (within thumb reach), centred on wider screens.
 * `alert`: a confirmation (role alertdialog) that only its buttons close, not a tap beside it.
 */
export function Dialog(props: {
  title: string
  onClose: () => void
  children: ComponentChildren
  alert?: boolean
  testId?: string
}) {
  const ref = useRef<HTMLDialogElement>(null)
  const heading = useRef<HTMLHeadingElement>(null)
  const titleId = useId()
  const onClose = useRef(props.onClose)
  onClose.current = props.onClose
  useLayoutEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    dialog.showModal()
    const showOthers = hideOthers(dialog)
    heading.current?.focus()
    // Closed by the browser itself (a second Escape in a row closes without `cancel`): tell the
    // owner, or its state would still say "open" over an invisible dialog.
    const closed = () => onClose.current()
    dialog.addEventListener('close', closed)
    return () => {
      dialog.removeEventListener('close', closed)
      showOthers()
      if (dialog.open) dialog.close()
      if (opener?.isConnected) opener.focus()
      else focusScreenHeading()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      class={props.alert ? 'dialog' : 'dialog sheet'}
      role={props.alert ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-modal="true"
      data-testid={props.testId}
      onKeyDown={keepTabInside}
      onCancel={(e) => {
        e.preventDefault()
        props.onClose()
      }}
      onClick={(e) => {
        // A tap on the backdrop lands on the <dialog> itself (its content fills a child).
        if (!props.alert && e.target === e.currentTarget) props.onClose()
      }}
    >
      <div class="dialog-body">
        <h2 id={titleId} ref={heading} tabIndex={-1}>
          <Breakable text={props.title} />
        </h2>
        {props.children}
        <DialogMessage />
      </div>
    </dialog>
  )
}
