import { deploy, test } from './support/deployable'
import { expect, openFirstJobToday, signIn, waitForTodaysVisits } from './support/fixtures'
import { comeBack, marked } from './support/pageMark'

/**
 * A new version arrives while the app is open (issue 18, update flow): the app finds it when it
 * becomes visible again, offers "A new version of Fieldline is ready", and Reload reaches the
 * waiting worker — but only at a safe moment: with a note typed and not saved it waits, and goes
 * as soon as the note is saved, which is kept. An app left alone with nothing to upload updates by
 * itself (a kiosk tablet). The server serves a copy of the build, whose sw.js the test changes to
 * stand for a deployment.
 */

test('a new version: offered, applied only at a safe moment, and by itself when idle', async ({
  page,
  context,
  app,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  // A second tab of the same app: when the first applies the new version, it reloads too, so two
  // versions' pages never go on writing the same database.
  const other = await context.newPage()
  await other.goto('/')
  await expect(other.getByRole('heading', { name: 'Today' })).toBeVisible()
  await other.evaluate(() => {
    ;(window as unknown as { otherTab: boolean }).otherTab = true
  })
  await openFirstJobToday(page)
  const banner = page.getByTestId('update-ready')
  await expect(banner).toHaveCount(0)

  deploy(app, 'version 2')
  await comeBack(page)
  await expect(banner).toContainText('A new version of Fieldline is ready.', { timeout: 20_000 })

  // Something typed and not saved: Reload waits for it.
  await page.evaluate(() => {
    ;(window as unknown as { beforeUpdate: boolean }).beforeUpdate = true
  })
  await page.getByPlaceholder('Add a note…').fill('Typed before the update')
  await banner.getByRole('button', { name: 'Reload' }).click()
  await expect(banner).toContainText('will update as soon as you save or close')
  await page.waitForTimeout(2_000)
  expect(await marked(page, 'beforeUpdate')).toBe(true)

  // Saved: the new version takes over and the page reloads; the note is there.
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect.poll(() => marked(page, 'beforeUpdate'), { timeout: 20_000 }).toBe(false)
  await expect(
    page.getByTestId('note').filter({ hasText: 'Typed before the update' }),
  ).toBeVisible()
  await expect(banner).toHaveCount(0)
  await expect.poll(() => marked(other, 'otherTab'), { timeout: 20_000 }).toBe(false)
  await other.close()
  expect(
    await page.evaluate(
      async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null,
    ),
  ).toBeNull()

  // Left alone (a kiosk), with nothing to upload: the next version applies itself.
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
  await page.clock.install()
  deploy(app, 'version 3')
  await comeBack(page)
  await expect(banner).toContainText('A new version of Fieldline is ready.', { timeout: 20_000 })
  await page.evaluate(() => {
    ;(window as unknown as { beforeIdle: boolean }).beforeIdle = true
  })
  await page.clock.fastForward('06:00')
  await expect.poll(() => marked(page, 'beforeIdle'), { timeout: 20_000 }).toBe(false)
  await expect(banner).toHaveCount(0)
})
