import type { Locator, Page } from '@playwright/test'
import {
  expect,
  openFirstJobToday,
  signIn,
  TECH,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

/**
 * The technician's loop with the keyboard only (a Bluetooth keyboard on a tablet, or a switch
 * device): sign in → open a job → add a note → open and close a sheet → Offline Actions. At each
 * step the test asserts where focus is; every element Tab lands on must be visible, not under the
 * sticky top bar or the bottom bar.
 */

/** What has focus, and whether the point at its centre shows it (not covered by a bar). */
function focusState(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return { name: 'body', covered: false, inDialog: false }
    const r = el.getBoundingClientRect()
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
    const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight
    return {
      name: `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`,
      // A hidden radio or file input shows through its label: either may be hit.
      covered: visible && !!hit && !el.contains(hit) && !hit.contains(el),
      inDialog: !!el.closest('dialog[open]'),
    }
  })
}

/** Presses Tab (or Shift+Tab) until `target` has focus; every stop on the way must be in view. */
async function tabTo(page: Page, target: Locator, opts: { back?: boolean; max?: number } = {}) {
  const stops: string[] = []
  for (let i = 0; i < (opts.max ?? 40); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab')
    const state = await focusState(page)
    stops.push(state.name)
    expect(state.covered, `focus on ${state.name} is hidden under something`).toBe(false)
    if (await target.evaluate((el) => el === document.activeElement)) return stops
  }
  throw new Error(`never reached the target; focus went ${stops.join(' → ')}`)
}

test('keyboard only: sign in, open a job, add a note, open and close a sheet, Offline Actions', async ({
  page,
}) => {
  await page.goto('/')
  // Sign in: Tab into the form, type, Enter.
  await tabTo(page, page.getByLabel('Email'))
  await page.keyboard.type(TECH.email)
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Password')).toBeFocused()
  await page.keyboard.type(TECH.password)
  await page.keyboard.press('Enter')
  // The form that had focus is gone: the first screen's heading takes it.
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeFocused()
  await waitForTodaysVisits(page)

  // Open the first job: focus moves to its heading.
  const visit = page.getByTestId('visit').first()
  await tabTo(page, visit)
  await page.keyboard.press('Enter')
  const jobHeading = page.getByRole('heading', { level: 1, name: /^Job #\d+/ })
  await expect(jobHeading).toBeFocused()

  // Add a note: the box, the text, the button; focus stays on the button after the save.
  const box = page.getByRole('textbox', { name: 'New note' })
  await tabTo(page, box, { max: 60 })
  const note = 'Typed without a mouse: condensate line cleared'
  await page.keyboard.type(note)
  await page.keyboard.press('Tab')
  const save = page.getByRole('button', { name: 'Save note' })
  await expect(save).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('note').filter({ hasText: note })).toBeVisible()
  await expect(box).toHaveValue('')
  await expect(save).toBeFocused()

  // A sheet: Edit opens "Job details"; focus goes in, Tab stays in, Escape returns it to Edit.
  const edit = page.getByRole('button', { name: 'Edit job details' })
  await tabTo(page, edit, { back: true, max: 60 })
  await page.keyboard.press('Enter')
  const sheet = page.getByRole('dialog', { name: 'Job details' })
  await expect(sheet).toBeVisible()
  await expect(sheet.getByRole('heading', { name: 'Job details' })).toBeFocused()
  await page.keyboard.press('Tab')
  await expect(sheet.getByLabel('Title')).toBeFocused()
  // Title, Description, Status, Save, Cancel, and round again: never outside the sheet.
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab')
    const state = await focusState(page)
    expect(state.inDialog, `Tab ${i + 1} left the sheet for ${state.name}`).toBe(true)
  }
  await page.keyboard.press('Escape')
  await expect(sheet).toHaveCount(0)
  await expect(edit).toBeFocused()

  // Offline Actions, through the bottom bar's Settings.
  await tabTo(page, page.getByRole('link', { name: 'Settings' }), { max: 80 })
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeFocused()
  await tabTo(page, page.getByTestId('offline-actions-link'))
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Offline Actions' })).toBeFocused()

  // A fresh load: the first Tab offers the skip link, which lands on the screen's heading.
  await page.reload()
  await expect(page.getByRole('heading', { level: 1, name: 'Offline Actions' })).toBeVisible()
  await page.keyboard.press('Tab')
  const skip = page.getByRole('button', { name: 'Skip to main content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Offline Actions' })).toBeFocused()
})

/** Where focus is: 'body' when it fell out of the page's content. */
const focusedTag = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement
    return !el || el === document.body ? 'body' : `${el.tagName.toLowerCase()}`
  })

test('an action that removes the focused control leaves focus on the screen, not on the page body', async ({
  page,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  // A label to remove: pick the first one offered.
  await page.getByRole('button', { name: 'Add label' }).click()
  const pick = page.locator('.chip-pick').first()
  const name = (await pick.textContent())?.trim() ?? ''
  await pick.click()
  const remove = page.getByRole('button', { name: `Remove label ${name}` })
  await remove.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('job-labels')).not.toContainText(name)
  // Online, the change is said to a screen reader too (offline, the toast says it).
  await expect(page.getByTestId('announcement')).toHaveText('Saved. Uploading now.')
  // On the page body a screen reader says nothing and Tab starts again from the top.
  await expect.poll(() => focusedTag(page)).not.toBe('body')
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true)
  await expect.poll(() => focusedTag(page), { timeout: 1_000 }).not.toBe('body')

  // "Take photo" reads as a button: Enter opens the picker, as Space does.
  await page.getByTestId('photo-input').focus()
  const chooser = page.waitForEvent('filechooser', { timeout: 5_000 })
  await page.keyboard.press('Enter')
  await chooser
})

/** Stepping through days by keyboard: focus stays on the day link pressed, the new day is said. */
test('Previous day / Next day keep the keyboard on the link and say the day', async ({ page }) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const next = page.getByRole('link', { name: 'Next day' })
  await next.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Tomorrow' })).toBeVisible()
  await expect(next).toBeFocused()
  await expect(page.getByTestId('announcement')).toHaveText('Tomorrow')
  await next.press('Enter')
  await expect(next).toBeFocused()
  const previous = page.getByRole('link', { name: 'Previous day' })
  await previous.press('Enter')
  await previous.press('Enter')
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible()
  await expect(previous).toBeFocused()
  await expect(page.getByTestId('announcement')).toHaveText('Today')
})
