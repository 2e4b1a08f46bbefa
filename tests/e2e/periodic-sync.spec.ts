import { randomUUID } from 'node:crypto'
import {
  apiAs,
  DISPATCHER,
  expect,
  signIn,
  TECH,
  test,
  waitForTodaysVisits,
} from './support/fixtures'
import { aJobOfTech, lateTodaySlot } from './support/office'

/**
 * Periodic Background Sync with no page of the app open: Chrome would fire it about twice a day
 * for an installed app; the test fires it through DevTools. The new appointment can only reach
 * the device through the worker's refresh: no page is open to pull it.
 */
test("a periodicsync refreshes the day's work with no page open", async ({ page, server }) => {
  const context = page.context()
  await signIn(page)
  await waitForTodaysVisits(page)
  const visits = await page.getByTestId('visit').count()
  const [startsAt, endsAt] = await lateTodaySlot(page)
  const me = await (await apiAs(server, TECH)).get<{ user: { id: string } }>('/api/auth/me')
  const jobId = await aJobOfTech(server)

  // DevTools reaches the worker through any page of the context; this one is not the app.
  await page.close()
  const blank = await context.newPage()
  const cdp = await context.newCDPSession(blank)
  const registrations: Array<{ registrationId: string; scopeURL: string }> = []
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations))
  await cdp.send('ServiceWorker.enable')
  await expect.poll(() => registrations.find((r) => r.scopeURL.startsWith(server.url))).toBeTruthy()
  const registration = registrations.find((r) => r.scopeURL.startsWith(server.url))

  const appointmentId = randomUUID()
  const office = await apiAs(server, DISPATCHER)
  await office.send('POST', '/api/dispatch/appointments', {
    id: appointmentId,
    jobId,
    startsAt,
    endsAt,
  })

  await cdp.send('ServiceWorker.dispatchPeriodicSyncEvent', {
    origin: new URL(server.url).origin,
    registrationId: registration?.registrationId ?? '',
    tag: 'fieldline-refresh',
  })

  // The user's IndexedDB, read inside the worker: the appointment arrives with no page open.
  const stored = () => {
    const worker = context.serviceWorkers()[0]
    if (!worker) return false
    return worker.evaluate(
      ({ userId, id }) =>
        new Promise<boolean>((resolve) => {
          const open = indexedDB.open(`fieldline-user-${userId}`)
          open.onerror = () => resolve(false)
          open.onsuccess = () => {
            const get = open.result.transaction('appointments').objectStore('appointments').get(id)
            get.onsuccess = () => {
              open.result.close()
              resolve(get.result !== undefined)
            }
            get.onerror = () => resolve(false)
          }
        }),
      { userId: me.user.id, id: appointmentId },
    )
  }
  await expect.poll(stored, { timeout: 15_000 }).toBe(true)

  // And the technician sees it offline: it is on the device, not fetched now.
  await context.setOffline(true)
  const again = await context.newPage()
  await again.goto('/')
  await expect(again.getByTestId('visit')).toHaveCount(visits + 1)
  await context.setOffline(false)
})
