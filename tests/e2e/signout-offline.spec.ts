import type { Page } from '@playwright/test'
import {
  addNote,
  expect,
  openFirstJobToday,
  signIn,
  type TestServer,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

/**
 * Signing out while offline deletes the technician's data at once, and ends the server session
 * when the device is next online (the sign-in's revocation token, POSTed to /api/auth/revoke):
 * the old session cookie, wherever a copy of it is, stops working.
 */

/** What the server answers to the old session cookie, asked from Node (not the browser). */
async function meStatus(server: TestServer, cookie: string): Promise<number> {
  const res = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } })
  return res.status
}

async function sessionCookie(page: Page): Promise<string> {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'fl_session')
  if (!cookie) throw new Error('no session cookie')
  return `fl_session=${cookie.value}`
}

async function signOutOffline(page: Page): Promise<void> {
  await page.context().setOffline(true)
  await page.goto('/#/settings')
  await page.getByTestId('sign-out').click()
  await expect(page.getByLabel('Email')).toBeVisible()
}

const pending = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('fieldline-device')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const count = db.transaction('revocations').objectStore('revocations').count()
          count.onsuccess = () => {
            db.close()
            resolve(count.result)
          }
        }
      }),
  )

test('signing out offline ends the server session when the connection returns', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  const cookie = await sessionCookie(page)
  expect(await meStatus(server, cookie)).toBe(200)

  await signOutOffline(page)
  // The sign-out could not reach the server: the session is still alive there, and the device
  // holds its revocation token.
  expect(await meStatus(server, cookie)).toBe(200)
  expect(await pending(page)).toBe(1)

  await context.setOffline(false)
  await expect.poll(() => meStatus(server, cookie), { timeout: 15_000 }).toBe(401)
  await expect.poll(() => pending(page)).toBe(0)
  expect(
    server.sql(
      "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'alex@fieldline.test'",
    ),
  ).toEqual([])
})

test('a revocation still pending when the app was closed is sent at the next start', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  const cookie = await sessionCookie(page)
  await signOutOffline(page)
  // The connection comes back but the server is down (a restart, a dead hotspot): the first
  // page's tries fail and the revocation stays pending when the app is closed.
  await server.stop()
  await context.setOffline(false)
  await page.evaluate(() => dispatchEvent(new Event('online')))
  await page.waitForTimeout(500)
  expect(await pending(page)).toBe(1)
  await page.close()
  await server.start()
  expect(await meStatus(server, cookie)).toBe(200)

  // The app opens again, online: the pending revocation goes out at start.
  const next = await context.newPage()
  await next.goto('/')
  await expect(next.getByLabel('Email')).toBeVisible()
  await expect.poll(() => meStatus(server, cookie), { timeout: 15_000 }).toBe(401)
  await expect.poll(() => pending(next)).toBe(0)
})

/**
 * On a link where every request hangs, Sign out says at once that it is uploading first, and
 * asks what to do with the waiting actions within seconds (it waited for the whole running
 * upload: 80 s and more of nothing after the tap).
 */
test('Sign out on a hanging link: said at once, asked within seconds', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  await context.route('**/api/**', () => {
    // Never answered: a hotspot with no backhaul.
  })
  await addNote(page, 'Written on a dead hotspot')
  await page.goto('/#/settings')
  await page.getByTestId('sign-out').click()
  await expect(page.getByRole('status').filter({ hasText: 'before signing out' })).toBeVisible()
  await expect(page.getByRole('alertdialog', { name: 'Actions not uploaded' })).toBeVisible({
    timeout: 8_000,
  })
})
