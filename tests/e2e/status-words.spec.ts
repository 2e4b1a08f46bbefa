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
