import AxeBuilder from '@axe-core/playwright'
import type { Page, TestInfo } from '@playwright/test'
import { checkNames } from './names'

/**
 * The screen sweep (tests/e2e/every-screen.spec.ts): each state of the app is checked at every
 * width for sideways overflow and for axe-core's WCAG 2.2 AA rules. Problems are collected, not
 * thrown at once, so one run lists all of them.
 */

export interface Size {
  name: string
  width: number
  height: number
}

/** Phones (portrait), then tablets portrait and landscape, as the issue lists them. */
export const PHONES: Size[] = [
  { name: '320', width: 320, height: 640 },
  { name: '360', width: 360, height: 780 },
  { name: '390', width: 390, height: 844 },
  { name: '414', width: 414, height: 896 },
]
export const TABLETS: Size[] = [
  { name: '768-portrait', width: 768, height: 1024 },
  { name: '1024-landscape', width: 1024, height: 768 },
  { name: '800-portrait', width: 800, height: 1280 },
  { name: '1280-landscape', width: 1280, height: 800 },
]
/** The sizes whose screenshots are kept for a person to look at. */
const SCREENSHOT_SIZES = new Set(['390', '1280-landscape'])
/**
 * At this size each state is also measured with a phone's largest text setting short of the
 * accessibility sizes (200 %, WCAG 1.4.4): nothing may run off the side of a 390 px phone.
 */
const LARGE_TEXT_SIZE = '390'

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

export interface Fit {
  scrollWidth: number
  innerWidth: number
  /** Elements that reach outside the viewport, left or right (not clipped by a parent). */
  outside: string[]
}

/** Is the page as wide as the window, and does every element fit inside it sideways? */
export function measureFit(page: Page): Promise<Fit> {
  return page.evaluate(() => {
    const vw = window.innerWidth
    const name = (el: Element) => {
      const id = el.getAttribute('data-testid')
      const cls = el.getAttribute('class')
      const text = (el.textContent ?? '').trim().slice(0, 30)
      const r = el.getBoundingClientRect()
      return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${cls ? `.${cls.split(' ').join('.')}` : ''} "${text}" (${Math.round(r.left)}–${Math.round(r.right)})`
    }
    const inside = (r: DOMRect) => r.left >= -0.5 && r.right <= vw + 0.5
    const outside: string[] = []
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect()
      if (r.width === 0 || r.height === 0 || inside(r)) continue
      if (getComputedStyle(el).visibility === 'hidden') continue
      // A part cut off by a parent that clips (overflow, ellipsis) is not outside the screen.
      let clipped = false
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (getComputedStyle(a).overflowX !== 'visible' && inside(a.getBoundingClientRect())) {
          clipped = true
          break
        }
      }
      if (!clipped) outside.push(name(el))
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: vw,
      outside: outside.slice(0, 8),
    }
  })
}

/**
 * Controls a thumb uses that are smaller than 44×44 px (issue 15). A radio, checkbox or file
 * picker counts by its label when the label is the button (hidden radio, switch row, "Take photo").
 */
export function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = []
    const controls = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type="hidden"]), select, textarea, [role="button"]',
    )
    for (const el of controls) {
      const box = ['radio', 'checkbox', 'file'].includes((el as HTMLInputElement).type)
        ? (el.closest('label') ?? el)
        : el
      const r = box.getBoundingClientRect()
      // Not on screen (a closed sheet, the skip link until focused): nothing to tap.
      if (
        r.width === 0 ||
        r.height === 0 ||
        r.bottom < 0 ||
        getComputedStyle(box).visibility === 'hidden'
      )
        continue
      if (r.width < 43.5 || r.height < 43.5) {
        const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)
        small.push(
          `${el.tagName.toLowerCase()} "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`,
        )
      }
    }
    return small
  })
}

/**
 * Words the layout breaks in the middle (a column too narrow for them): "Callbac|k". Words are
 * split at spaces, dashes and slashes (where a line may break anyway); strings longer than 16 letters
 * (file names, addresses of the web) may break anywhere, as they must to fit a phone.
 */
export function brokenWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    const range = document.createRange()
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? ''
      const parent = node.parentElement
      if (!parent || !text.trim() || parent.closest('[aria-hidden="true"], script, style')) continue
      const style = getComputedStyle(parent)
      if (style.visibility === 'hidden' || style.display === 'none') continue
      for (const m of text.matchAll(/[^\s\-‐–—/]+/g)) {
        const word = m[0]
        if (word.length < 4 || word.length > 16) continue
        range.setStart(node, m.index)
        range.setEnd(node, m.index + word.length)
        const rects = [...range.getClientRects()].filter((r) => r.width > 0)
        const first = rects[0]
        if (first && rects.some((r) => r.top > first.bottom - 2)) {
          found.push(`"${word}" in ${parent.tagName.toLowerCase()}.${parent.className}`)
        }
      }
    }
    return found.slice(0, 8)
  })
}

export interface Finding {
  state: string
  size: string
  kind: 'overflow' | 'axe' | 'target' | 'broken-word' | 'name'
  detail: string
}

/** Collects what each state looks like at each size; `check` is called once per state. */
export class Sweep {
  readonly findings: Finding[] = []
  /** Widest page seen per state, for the report. */
  readonly widest = new Map<string, number>()
  readonly violations = new Map<string, number>()
  checked = 0

  constructor(
    private readonly page: Page,
    private readonly info: TestInfo,
    private readonly sizes: Size[],
  ) {}

  /** Checks the state now on screen at every size (the page is resized in place). */
  async check(state: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    for (const size of this.sizes) {
      await this.page.setViewportSize({ width: size.width, height: size.height })
      // Two frames: the resize's layout, then anything that reacts to it.
      await this.page.evaluate(
        () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
      )
      const fit = await this.checkLayout(state, size.name)
      this.widest.set(
        state,
        Math.max(this.widest.get(state) ?? 0, fit.scrollWidth - fit.innerWidth),
      )
      for (const target of await smallTargets(this.page)) {
        this.findings.push({ state, size: size.name, kind: 'target', detail: target })
      }
      const axe = await new AxeBuilder({ page: this.page })
        .withTags(WCAG_TAGS)
        // In the page itself: the default opens a blank page per run to merge frame results
        // (the app has no frames), which costs seconds each time.
        .setLegacyMode(true)
        .analyze()
      this.violations.set(`${state}@${size.name}`, axe.violations.length)
      for (const v of axe.violations) {
        this.findings.push({
          state,
          size: size.name,
          kind: 'axe',
          detail: `${v.id} (${v.impact}): ${v.nodes
            .slice(0, 4)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
        })
      }
      if (SCREENSHOT_SIZES.has(size.name)) {
        // The screenshot is for a person to look at, so it never holds the sweep: in two CI runs
        // a full-page capture at 1280 px, taken right after the name check's CDP session, waited
        // until the test's limit (not seen on its own). It is taken first, and given 30 s.
        const path = this.info.outputPath(`${size.name}-${state}.png`)
        await this.page
          .screenshot({ path, fullPage: opts.fullPage ?? false, timeout: 30_000 })
          .catch((err: Error) =>
            console.log(`screenshot ${size.name}-${state} skipped: ${err.message.split('\n')[0]}`),
          )
        // Names do not change with the width: checked once per group of sizes (support/names.ts).
        for (const p of await checkNames(this.page, state)) {
          this.findings.push({
            state,
            size: size.name,
            kind: 'name',
            detail: `${p.control} ${p.problem}`,
          })
        }
      }
      if (size.name === LARGE_TEXT_SIZE) await this.checkLargeText(state, size, opts)
      this.checked++
    }
  }

  /** Sideways overflow and words broken mid-word, as the page is laid out now. */
  private async checkLayout(state: string, size: string): Promise<Fit> {
    const fit = await measureFit(this.page)
    if (fit.scrollWidth > fit.innerWidth || fit.outside.length > 0) {
      this.findings.push({
        state,
        size,
        kind: 'overflow',
        detail: `page ${fit.scrollWidth}px in ${fit.innerWidth}px; ${fit.outside.join('; ')}`,
      })
    }
    for (const word of await brokenWords(this.page)) {
      this.findings.push({ state, size, kind: 'broken-word', detail: word })
    }
    return fit
  }

  /** The state at 200 % text (the root font size, through the CSSOM: the CSP refuses inline styles). */
  private async checkLargeText(state: string, size: Size, opts: { fullPage?: boolean }) {
    const setText = (value: string) =>
      this.page.evaluate(
        (v) =>
          new Promise((r) => {
            document.documentElement.style.fontSize = v
            requestAnimationFrame(() => requestAnimationFrame(r))
          }),
        value,
      )
    await setText('200%')
    try {
      await this.checkLayout(state, `${size.name} at 200 % text`)
      await this.page.screenshot({
        path: this.info.outputPath(`${size.name}-text200-${state}.png`),
        fullPage: opts.fullPage ?? false,
      })
    } finally {
      await setText('')
    }
  }

  /** One line per distinct problem, with the sizes it showed at. */
  report(): string[] {
    const byKey = new Map<string, string[]>()
    for (const f of this.findings) {
      const key = `${f.state} · ${f.kind} · ${f.kind === 'axe' ? f.detail : f.detail.replace(/\(\d+–\d+\)/g, '')}`
      byKey.set(key, [...(byKey.get(key) ?? []), f.size])
    }
    return [...byKey].map(([k, sizes]) => `${k} @ ${sizes.join(', ')}`)
  }
}
