import type { Page } from '@playwright/test'

/**
 * The generic name check of the acceptance walk (tests/e2e/names-walk.spec.ts): on a screen, every
 * visible control (button, link, form field, switch) has an accessible name, the name Chromium
 * computes (what a screen reader reads and what getByRole matches), and that name holds the words
 * the control shows (WCAG 2.5.3 Label in Name: a voice user says what they see). Also: an icon-only
 * control is not named vaguely ("Button", "More", "×"); a form field is not named only by its
 * placeholder or tooltip; and two links with one name on a screen go to the same place.
 *
 * Limits: Chromium only (the names come from the DevTools protocol's accessibility tree); the
 * visible words are text nodes with a box bigger than 1×1 px (what .visually-hidden leaves out),
 * punctuation and symbols ignored ("+ Label", "›"); a form field's visible words are not checked
 * against its name (a switch's label holds help text that is, rightly, its description).
 */

const CONTROLS =
  'a[href], button, input:not([type=hidden]), select, textarea, [role=button], [role=link], [role=switch], [role=checkbox], [role=radio], [role=tab], [role=menuitem]'
const VAGUE = new Set(['button', 'link', 'more', 'icon', 'x', '×', 'close', 'menu', 'click here'])

export interface NameProblem {
  screen: string
  control: string
  problem: string
}

interface Seen {
  tag: string
  role: string
  name: string
  nameFrom: string
  visible: string
  href: string | null
  field: boolean
}

/** Words only: lower case, letters and digits, single spaces. */
export const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

export async function checkNames(page: Page, screen: string): Promise<NameProblem[]> {
  // The DOM is read, then the accessibility tree: a count that changes in between (an upload
  // ending) reads as a mismatch. A problem counts only if a second look, a moment later, has it too.
  const first = await checkOnce(page, screen)
  if (first.length === 0) return first
  await page.waitForTimeout(300)
  const again = new Set((await checkOnce(page, screen)).map((p) => `${p.control} ${p.problem}`))
  return first.filter((p) => again.has(`${p.control} ${p.problem}`))
}

async function checkOnce(page: Page, screen: string): Promise<NameProblem[]> {
  // Three round trips whatever the screen holds (this runs on every state of the sweep): the
  // controls are marked and their visible words read in one evaluate, then the whole DOM (to map
  // the marks to node ids) and the whole accessibility tree are fetched once each.
  const found = await page.evaluate((sel) => {
    const shown = (t: Node) => {
      const p = t.parentElement
      if (!p) return false
      const r = p.getBoundingClientRect()
      const s = getComputedStyle(p)
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'
    }
    // Inside an open modal only the dialog counts: the page behind it is inert.
    const root = document.querySelector('dialog[open]') ?? document
    const out: Array<{ tag: string; visible: string; href: string | null; field: boolean }> = []
    for (const el of root.querySelectorAll<HTMLElement>(sel)) {
      if (el.closest('[inert]')) continue
      // A native control hidden inside its label (radio, file input) is shown by the label.
      const r = el.getBoundingClientRect()
      const box = r.width > 1 && r.height > 1 ? r : el.closest('label')?.getBoundingClientRect()
      if (!box || box.width <= 1 || box.height <= 1) continue
      if (getComputedStyle(el).visibility === 'hidden') continue
      let text = ''
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
      for (let t = walker.nextNode(); t; t = walker.nextNode())
        if (shown(t)) text += ` ${t.nodeValue ?? ''}`
      const field = /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)
      const label = el.getAttribute('aria-label') ?? el.getAttribute('aria-labelledby') ?? ''
      el.setAttribute('data-name-check', String(out.length))
      out.push({
        tag: `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${label ? `[${label}]` : ''}`,
        visible: field ? '' : text,
        href: el.getAttribute('href'),
        field,
      })
    }
    return out
  }, CONTROLS)
  const cdp = await page.context().newCDPSession(page)
  try {
    // backendNodeId of each mark, from the DOM as the protocol sees it.
    const marks = new Map<number, number>()
    // biome-ignore lint/suspicious/noExplicitAny: the protocol's DOM.Node, walked loosely
    const walk = (n: any) => {
      const attrs: string[] = n.attributes ?? []
      const at = attrs.indexOf('data-name-check')
      if (at >= 0) marks.set(n.backendNodeId, Number(attrs[at + 1]))
      for (const c of n.children ?? []) walk(c)
    }
    walk((await cdp.send('DOM.getDocument', { depth: -1 })).root)
    const { nodes } = await cdp.send('Accessibility.getFullAXTree', {})
    const seen: Seen[] = []
    for (const node of nodes) {
      const i = node.backendDOMNodeId === undefined ? undefined : marks.get(node.backendDOMNodeId)
      const dom = i === undefined ? undefined : found[i]
      if (!dom || node.ignored) continue
      const from = (node.name?.sources ?? []).find((s) => s.value && !s.superseded)?.type ?? ''
      seen.push({
        ...dom,
        role: String(node.role?.value ?? ''),
        name: String(node.name?.value ?? '').trim(),
        nameFrom: from,
      })
    }
    return problemsOf(screen, seen)
  } finally {
    await cdp.detach()
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('[data-name-check]'))
        el.removeAttribute('data-name-check')
    })
  }
}

function problemsOf(screen: string, seen: Seen[]): NameProblem[] {
  const out: NameProblem[] = []
  const say = (s: Seen, problem: string) =>
    out.push({ screen, control: `${s.role} "${s.name}" (${s.tag})`, problem })
  const links = new Map<string, Set<string>>()
  const buttons = new Map<string, number>()
  for (const s of seen) {
    const name = words(s.name)
    const visible = words(s.visible)
    if (!name) {
      say(s, 'has no accessible name')
      continue
    }
    if (s.field && (s.nameFrom === 'placeholder' || s.nameFrom === 'attribute')) {
      // 'attribute' is title= or aria-placeholder when no label exists.
      if (s.nameFrom === 'placeholder') say(s, 'is named only by its placeholder')
    }
    if (!visible && (VAGUE.has(name) || name.length < 2)) say(s, 'icon-only with a vague name')
    if (visible && !` ${name} `.includes(` ${visible} `)) {
      say(s, `name does not contain its visible text "${s.visible.trim()}"`)
    }
    if (s.role === 'button') buttons.set(name, (buttons.get(name) ?? 0) + 1)
    if (s.role === 'link' && s.href) {
      const key = name
      const hrefs = links.get(key) ?? new Set()
      hrefs.add(s.href)
      links.set(key, hrefs)
    }
  }
  for (const [name, hrefs] of links) {
    if (hrefs.size > 1) {
      out.push({
        screen,
        control: `link "${name}"`,
        problem: `one name, ${hrefs.size} destinations: ${[...hrefs].join(', ')}`,
      })
    }
  }
  for (const [name, n] of buttons) {
    if (n > 1) out.push({ screen, control: `button "${name}"`, problem: `${n} buttons share it` })
  }
  return out
}
