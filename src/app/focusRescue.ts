import { focusScreenHeading } from './focusHeading'
import { TABBABLE } from './tabbable'

/** Parts of a screen that can stand for what was in them: an entry, a card, a form. */
const PLACE = 'li, section, article, form, fieldset, [role="group"], main'

/**
 * When an action removes the control that had focus (a label's × removes its chip, Retry turns a
 * Failed entry into a Queued one without its buttons, a discarded entry leaves the list), focus
 * would fall to <body>: a screen reader says nothing and the next Tab starts from the top of the
 * page. Every such case is caught here, once, rather than by each component: a little after the
 * focused element leaves the page, if nothing else has taken focus (moving to another screen
 * gives it to the heading, a closing dialog to its opener), focus goes to the nearest part of
 * the screen that was around it and is still there, to its first control, or to the part itself
 * (so the changed entry is read out). Nothing of it left: the screen's heading.
 *
 * Known limit: "nearest part" is by structure, not by meaning; in a list of chips, focus lands
 * on the card's first control, not the chip that followed the removed one.
 */
export function keepFocusOnScreen(): () => void {
  let last: HTMLElement | null = null
  let places: Element[] = []
  // The entries beside the focused one's list entry, as they were when it took focus: when the
  // entry itself goes (an action uploaded, discarded), the keyboard goes on to its neighbour.
  let neighbours: Element[] = []
  let timer = 0

  const onFocusIn = (e: FocusEvent) => {
    if (!(e.target instanceof HTMLElement)) return
    last = e.target
    places = []
    for (let p = last.parentElement; p; p = p.parentElement) if (p.matches(PLACE)) places.push(p)
    const item = last.closest('li')
    neighbours = [item?.nextElementSibling, item?.previousElementSibling].filter(
      (n): n is Element => n instanceof HTMLLIElement,
    )
  }
  const usable = (el: Element) => el.isConnected && !el.closest('[inert], dialog:not([open])')
  const rescue = () => {
    timer = 0
    const active = document.activeElement
    if ((active && active !== document.body) || !last || last.isConnected) return
    last = null
    const item = neighbours.find(usable)
    for (const place of item ? [item, ...places] : places) {
      if (!usable(place)) continue
      // Nothing of the part is left but the screen itself: its heading says where one is; its
      // first control was Back, read as if the keyboard had been sent away.
      if (place.matches('main')) break
      const own = place.matches('li[tabindex]') ? (place as HTMLElement) : null
      const control =
        own ??
        [...place.querySelectorAll<HTMLElement>(TABBABLE)].find(
          (el) => el.getClientRects().length > 0,
        )
      const target = control ?? (place as HTMLElement)
      if (!control && !place.hasAttribute('tabindex')) place.setAttribute('tabindex', '-1')
      target.focus()
      return
    }
    focusScreenHeading()
  }
  // Checked after the removal settles: the app's own focus moves (a screen's heading, a dialog's
  // opener) run first and win.
  const observer = new MutationObserver(() => {
    if (last && !last.isConnected && !timer) timer = window.setTimeout(rescue, 80)
  })
  document.addEventListener('focusin', onFocusIn)
  observer.observe(document.body, { childList: true, subtree: true })
  return () => {
    document.removeEventListener('focusin', onFocusIn)
    observer.disconnect()
    clearTimeout(timer)
  }
}
