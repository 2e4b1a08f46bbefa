/**
 * While a modal is open, everything outside it is marked `inert` and `aria-hidden` (each
 * sibling along the way from the dialog up to the body); the returned function undoes exactly
 * that. The native modal (showModal) already makes the page behind inert for people; this says it
 * in the page's own attributes, which tools that read the accessibility tree without knowing about
 * the top layer understand too: an acceptance suite's role query found a dialog's "Discard" and
 * the "Discard" behind it, and refused to choose.
 */
export function hideOthers(el: Element): () => void {
  const changed: Element[] = []
  for (let node: Element | null = el; node?.parentElement; node = node.parentElement) {
    if (node === document.body) break
    for (const sibling of node.parentElement.children) {
      if (sibling === node || sibling.hasAttribute('aria-hidden') || sibling.hasAttribute('inert'))
        continue
      if (sibling.tagName === 'SCRIPT' || sibling.tagName === 'STYLE') continue
      sibling.setAttribute('aria-hidden', 'true')
      sibling.setAttribute('inert', '')
      changed.push(sibling)
    }
  }
  return () => {
    for (const sibling of changed) {
      sibling.removeAttribute('aria-hidden')
      sibling.removeAttribute('inert')
    }
  }
}
