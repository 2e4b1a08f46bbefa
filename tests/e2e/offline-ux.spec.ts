import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM } from './support/browser'
import {
  addNote,
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'
import { makePng } from './support/png'

test('Offline Settings: defaults, stored on the device, and what each switch does offline', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await page.goto('/#/settings/offline')
  const enabled = page.getByTestId('setting-offlineEnabled')
  const photos = page.getByTestId('setting-offlinePhotosEnabled')
  const wifi = page.getByTestId('setting-downloadPhotosOverWifi')
  await expect(enabled).toBeChecked()
  await expect(photos).not.toBeChecked()
  await expect(wifi).toBeChecked()
  // Each switch is named by its title alone (the help is its description, not its name).
  for (const name of ['Offline Enabled', 'Offline Photos Enabled', 'Download Photos Over WiFi']) {
    await expect(page.getByRole('switch', { name, exact: true })).toHaveCount(1)
  }
  await expect(wifi).toHaveAccessibleDescription(/data usage/i)
  await expect(page.getByText('large request in terms of data usage')).toBeVisible()
  await expect(page.getByTestId('storage')).toContainText('used of')

  // Offline Photos Enabled OFF (default): a photo offline is refused, nothing is queued.
  await page.goto('/#/')
  const jobId = await openFirstJobToday(page)
  await context.setOffline(true)
  await page.getByTestId('photo-input').setInputFiles({
    name: 'leak.png',
    mimeType: 'image/png',
    buffer: makePng(64, 48),
  })
  await expect(page.getByTestId('toast').last()).toContainText('Offline Photos Enabled')
  await expect(page.getByTestId('pending-count')).toHaveCount(0)

  // Offline Enabled OFF: changes need a connection, and the app says so.
  await page.goto('/#/settings/offline')
  await enabled.uncheck()
  // Stored on the device: off after a reload (the write is a moment behind the tap, and a reload
  // at once could come before it; each try reloads again).
  await expect
    .poll(async () => {
      await page.reload()
      return expect(page.getByTestId('setting-offlineEnabled'))
        .not.toBeChecked({ timeout: 2_000 })
        .then(() => true)
        .catch(() => false)
    })
    .toBe(true)
  await page.goto(`/#/job/${jobId}`)
  await page.getByPlaceholder('Add a note…').fill('should not be saved')
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('toast').last()).toContainText('Offline Enabled is off')
  await expect(page.getByTestId('note').filter({ hasText: 'should not be saved' })).toHaveCount(0)
  await expect(page.getByTestId('pending-count')).toHaveCount(0)
  // The offline alert does not promise what the setting refuses.
  await expect(page.getByRole('alert').filter({ hasText: "You're offline." })).toContainText(
    'Offline Enabled is off, so changes need a connection',
  )

  // A save refused inside a sheet is said there: the page's toast is under the modal, inert.
  await page.getByRole('button', { name: 'Edit job details' }).click()
  const sheet = page.getByRole('dialog', { name: 'Job details' })
  await sheet.getByLabel('Title').fill('should not be saved either')
  await sheet.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(
    sheet.getByRole('status').filter({ hasText: 'Offline Enabled is off' }),
  ).toBeVisible()
  await expect(page.getByTestId('pending-count')).toHaveCount(0)
})

test('a rejected action is Failed with the reason; others go on; Retry and Discard work', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const visits = page.getByTestId('visit')
  await visits.nth(1).click()
  const otherJob = decodeURIComponent(new URL(page.url()).hash.replace('#/job/', ''))
  await page.goto('/#/')
  const jobId = await openFirstJobToday(page)

  await context.setOffline(true)
  await addNote(page, 'Note on a job that is about to be reassigned')
  await page.goto(`/#/job/${otherJob}`)
  await addNote(page, 'Note on a job that stays mine')

  // Meanwhile the office gives the first job to Sam.
  const office = await apiAs(server, DISPATCHER)
  const sam = server.sql<{ id: string }>(
    "SELECT id FROM users WHERE email = 'sam@fieldline.test'",
  )[0]!.id
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { technicianId: sam })

  await context.setOffline(false)
  await page.goto('/#/settings/actions')
  const failed = page.getByTestId('outbox-item')
  await expect(failed).toHaveCount(1, { timeout: 20_000 })
  await expect(failed).toContainText('Failed')
  await expect(page.getByTestId('failure-reason')).toContainText('no longer assigned to you')
  // The other job's note went through.
  expect(
    server.sql('SELECT id FROM notes WHERE body = ?', 'Note on a job that stays mine'),
  ).toHaveLength(1)

  // By keyboard: each button goes away under the focus that pressed it (Retry turns the entry
  // Queued, a discard removes it); focus must stay on the screen, not fall to the page body.
  const focusOnBody = () => page.evaluate(() => document.activeElement === document.body)
  // Named for the action it retries (two failures have two Retry buttons), described by why.
  const retry = page.getByRole('button', { name: 'Retry' })
  await expect(retry).toHaveAccessibleName(/^Retry Note on Job #\d+ .*, \w{3} \d+, /)
  await expect(retry).toHaveAccessibleDescription('This job is no longer assigned to you.')
  await retry.focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('failure-reason')).toContainText('no longer assigned', {
    timeout: 20_000,
  })
  await expect(failed).toContainText('2 attempts')
  await expect.poll(focusOnBody).toBe(false)
  // The keyboard stays at the action it retried, not thrown to the top of the screen.
  await expect(failed).toBeFocused()

  await page.getByRole('button', { name: 'Discard' }).focus()
  await page.keyboard.press('Enter')
  await page.getByTestId('confirm-discard').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('all-caught-up')).toBeVisible()
  await expect.poll(focusOnBody).toBe(false)
  await expect(page.getByTestId('all-caught-up')).toContainText('Last sync')
  expect(
    server.sql('SELECT id FROM notes WHERE body LIKE ?', '%about to be reassigned%'),
  ).toHaveLength(0)
})

test('the app is installable: Chromium reports no installability errors', async ({ server }) => {
  // Incognito contexts are never installable, so this one runs in a real profile.
  const profile = mkdtempSync(join(tmpdir(), 'fieldline-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM,
    baseURL: server.url,
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    await signIn(page)
    const cdp = await context.newCDPSession(page)
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: unknown[]
    }
    expect(installabilityErrors).toEqual([])
    const manifest = await (await page.request.get('/manifest.webmanifest')).json()
    expect(manifest).toMatchObject({ name: 'Fieldline', display: 'standalone', start_url: '/' })
    expect(await page.locator('link[rel="apple-touch-icon"]').count()).toBe(1)
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
  }
})

test('uploads show their progress', async ({ page, context }) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  await context.setOffline(true)
  for (let i = 1; i <= 3; i++) await addNote(page, `Progress note ${i}`)
  // Slow the upload down so its progress can be seen.
  await context.route('**/api/sync/push', async (route) => {
    await new Promise((r) => setTimeout(r, 1_500))
    await route.continue()
  })
  await context.setOffline(false)
  await expect(page.getByTestId('upload-progress')).toContainText(/Uploading \d of 3/)
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
})
