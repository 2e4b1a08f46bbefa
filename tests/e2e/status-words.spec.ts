import type { Route } from '@playwright/test'
import {
  addNote,
  expect,
  openFirstJobToday,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

test.describe.configure({ timeout: 120_000 })

/**
 * A dead link where nothing fails outright, every request just hangs (a hotspot with no backhaul,
 * as in the WebKit run of issue 15): once the app's time limit has called the link too weak, the
 * queue must not keep saying "Uploading" (nor "Uploading 1 of 1", nor spin Refresh) beside
 * "Connection too weak to use". Entries read "Waiting for signal" until the link is back.
 */
test('on a hanging link, actions read "Waiting for signal", not Uploading; they upload when it is back', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)

  const hanging: Route[] = []
  await context.route('**/api/**', (route) => {
    hanging.push(route)
  })
  const note = 'Written on a hotspot with no backhaul'
  await addNote(page, note)
  // The push hangs until its 20 s limit: then the app calls the link too weak.
  await expect(page.getByTestId('offline-alert')).toContainText('too weak', { timeout: 40_000 })
  await page.goto('/#/settings/actions')
  const item = page.getByTestId('outbox-item').filter({ hasText: note })
  await expect(item).toContainText('Waiting for signal')
  await expect(page.getByText('Uploading', { exact: true })).toHaveCount(0)
  await expect(page.getByTestId('upload-progress')).toHaveCount(0)
  await expect(page.getByTestId('refresh')).not.toHaveClass(/spinning/)

  // The link comes back: the hung requests fail fast, new ones go through, the queue empties.
  await context.unroute('**/api/**')
  for (const route of hanging.splice(0)) await route.abort('connectionreset').catch(() => {})
  await expect(page.getByTestId('all-caught-up')).toBeVisible({ timeout: 40_000 })
})

/**
 * "Saved on the device at once, shown as pending": what an action saved offline carries its
 * Queued mark from the first frame it is on screen, every frame after. A MutationObserver looks
 * at every DOM change (before it is painted). An entity's live query and the queue list answer a
 * commit in either order, and notes and labels showed for a moment with no mark between the two.
 */
test('offline, a saved note or label reads Queued in every frame from the first', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  await context.setOffline(true)
  await expect(page.getByTestId('offline-alert')).toBeVisible()
  const labels = page.getByTestId('job-labels').locator('.chip')
  const before = (await labels.allTextContents()).map((t) => t.trim())
  await page.evaluate((known) => {
    const w = window as unknown as { unmarked: string[] }
    w.unmarked = []
    new MutationObserver(() => {
      for (const li of document.querySelectorAll('[data-testid="note"]')) {
        const text = li.textContent ?? ''
        if (text.includes('Frame check') && !text.includes('Queued')) w.unmarked.push(text)
      }
      for (const chip of document.querySelectorAll('[data-testid="job-labels"] .chip')) {
        const text = chip.textContent?.trim() ?? ''
        if (!known.includes(text) && !text.includes('Queued') && !text.includes('Label')) {
          w.unmarked.push(`label ${text}`)
        }
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true })
  }, before)
  for (let i = 1; i <= 6; i++) await addNote(page, `Frame check ${i}`)
  await page.getByRole('button', { name: 'Add label' }).click()
  const pick = page.getByRole('dialog').locator('.chip-pick').first()
  const added = (await pick.textContent())?.trim() ?? ''
  await pick.click()
  await expect(labels.filter({ hasText: added })).toContainText('Queued')
  await expect(page.getByTestId('note').filter({ hasText: 'Frame check' })).toHaveCount(6)
  // Both live queries have answered by now, whatever their order.
  await page.waitForTimeout(500)
  for (const note of await page.getByTestId('note').filter({ hasText: 'Frame check' }).all()) {
    await expect(note).toContainText('Queued')
  }
  expect(await page.evaluate(() => (window as unknown as { unmarked: string[] }).unmarked)).toEqual(
    [],
  )
})

/** Refresh says how it went: its spinning icon alone told a screen reader nothing, offline nothing. */
test('Refresh answers in words: refreshed, or no signal', async ({ page, context }) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const toast = page.getByTestId('toast')
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(toast).toHaveText('Refreshed.')
  await context.setOffline(true)
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(toast).toHaveText(/^No signal\. You are seeing what is on this device/)
})
