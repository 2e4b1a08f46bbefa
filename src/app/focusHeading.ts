/**
 * Moves focus to the current screen's heading (the h1 in its top bar), so a screen reader
 * announces the screen and Tab starts from its top instead of from a link that is gone. A screen
 * loaded on first use renders a moment later: it is waited for, up to about a second.
 */
export function focusScreenHeading(): void {
  let frames = 0
  const attempt = () => {
    const heading = document.querySelector<HTMLElement>('main h1')
    if (heading) heading.focus({ preventScroll: true })
    else if (++frames < 60) requestAnimationFrame(attempt)
  }
  attempt()
}
