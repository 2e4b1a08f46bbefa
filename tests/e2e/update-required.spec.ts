import type { Page } from '@playwright/test'
import { PROTOCOL_HEADER } from '../../protocol/version'
import { deploy, test } from './support/deployable'
import { deviceQueue } from './support/deviceQueue'
import {
  addNote,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  waitForTodaysVisits,
} from './support/fixtures'
import { mark, marked } from './support/pageMark'

/**
 * An app older than the server still takes (issue 18): the server answers its push 426
 * `update_required`; the app says "Update Fieldline to upload your 2 waiting actions", keeps both
 * actions Queued (never Failed, never dropped) and, once the new version is deployed and the
 * technician taps Reload, uploads them in order.
 *
 * The old app is today's build whose sync requests the test rewrites to name protocol 0 (older
 * than the previous version): everything on the device is real, only the version it names is
 * made up. The rewriting stops when the page navigates to the new build, which is what an update
 * changes. The deployment is a changed sw.js, as in update.spec.ts.
 */

test('an app too old for the server keeps its queue, says to update, and uploads after the update', async ({
  page,
  context,
  server,
  app,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const before = serverNotes(server, jobId)

  // From here on this app speaks protocol 0, page and worker alike.
  // On the context, not the page: the push may be the service worker's (Background Sync), whose
  // requests the page does not see (a CI run counted none while the notice was up).
  const refusals: number[] = []
  context.on('response', (r) => {
    if (r.url().includes('/api/sync/') && r.status() === 426) refusals.push(r.status())
  })
  await speakOldProtocolUntilReload(page)

  await context.setOffline(true)
  const notes = ['Too old: first', 'Too old: second']
  for (const n of notes) await addNote(page, n)
  await context.setOffline(false)

  const notice = page.getByTestId('update-required')
  await expect(notice).toHaveText('Update Fieldline to upload your 2 waiting actions.', {
    timeout: 20_000,
  })
  expect(refusals.length).toBeGreaterThan(0)
  await expect(page.getByTestId('pending-count')).toHaveText('2')
  await expect(page.getByTestId('failed-notice')).toHaveCount(0)
  for (const n of notes) {
    await expect(page.getByTestId('note').filter({ hasText: n }).getByText('Queued')).toBeVisible()
  }
  // Between retries (a retry marks them Uploading for the length of its request), both are
  // Queued as they were made, with the version they were made with.
  await expect
    .poll(async () =>
      (await deviceQueue(page)).entries.map((e) => [
        (e.args as { body: string }).body,
        e.status,
        e.v,
      ]),
    )
    .toEqual(notes.map((n) => [n, 'queued', 2]))
  expect(serverNotes(server, jobId)).toEqual(before)

  // The new version is deployed; the app offers it; Reload runs it (and it names its version).
  deploy(app, 'the next version')
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
  const banner = page.getByTestId('update-ready')
  await expect(banner).toContainText('A new version of Fieldline is ready.', { timeout: 20_000 })
  await mark(page)
  await banner.getByRole('button', { name: 'Reload' }).click()
  await expect.poll(() => marked(page), { timeout: 20_000 }).toBe(false)

  // The new page is up (until it renders, no pending count shows either way), then uploads.
  await expect(page.getByTestId('job-title')).toBeVisible()
  await expect
    .poll(() => serverNotes(server, jobId), { timeout: 20_000 })
    .toEqual([...before, ...notes])
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
  await expect(notice).toHaveCount(0)
})

test('a kiosk refused for its version updates by itself when left idle, then uploads', async ({
  page,
  context,
  server,
  app,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const before = serverNotes(server, jobId)
  await speakOldProtocolUntilReload(page)
  await context.setOffline(true)
  await addNote(page, 'Kiosk: queued on the old version')
  await context.setOffline(false)
  await expect(page.getByTestId('update-required')).toHaveText(
    'Update Fieldline to upload your 1 waiting action.',
    { timeout: 20_000 },
  )

  // Nobody taps Reload: with an action waiting, only the refusal lets the idle update go.
  await page.clock.install()
  deploy(app, 'the next version')
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
  await expect(page.getByTestId('update-ready')).toContainText('A new version', { timeout: 20_000 })
  await mark(page)
  await page.clock.fastForward('06:00')
  await expect.poll(() => marked(page), { timeout: 20_000 }).toBe(false)
  await expect(page.getByTestId('job-title')).toBeVisible()
  await expect
    .poll(() => serverNotes(server, jobId), { timeout: 20_000 })
    .toEqual([...before, 'Kiosk: queued on the old version'])
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
})

/**
 * Makes the open page (and its worker) name protocol 0 on sync requests until the page navigates
 * again: the reload onto the new version. Until then the old page cannot upload, whatever it tries.
 */
async function speakOldProtocolUntilReload(page: Page): Promise<void> {
  let old = true
  // A document load (not a hash change): the reload onto the new version.
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) old = false
  })
  await page
    .context()
    .route('**/api/sync/**', (route) =>
      old
        ? route.continue({ headers: { ...route.request().headers(), [PROTOCOL_HEADER]: '0' } })
        : route.fallback(),
    )
}
