import type { RefObject } from 'preact'
import { useLayoutEffect } from 'preact/hooks'

/**
 * Publishes the height of a fixed or sticky bar as a CSS variable on <html>, so the page keeps
 * room for it (padding) and a focused field is scrolled clear of it (scroll-padding). The bars
 * change height: a toast comes and goes, a long title takes two lines.
 */
export function useMeasuredHeight(ref: RefObject<HTMLElement | null>, variable: string): void {
  useLayoutEffect(() => {
    const el = ref.current
    if (!el || typeof ResizeObserver === 'undefined') return
    const root = document.documentElement
    const observer = new ResizeObserver(() => {
      root.style.setProperty(variable, `${Math.ceil(el.getBoundingClientRect().height)}px`)
    })
    observer.observe(el)
    return () => observer.disconnect()
  }, [variable])
}
