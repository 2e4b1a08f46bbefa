import type { Page } from '@playwright/test'
import {
  apiAs,
  DISPATCHER,
  expect,
  signIn,
  type TestServer,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

/**
 * Security in the browser: text typed by anyone (a note, a label, a job title from the office)
 * is shown as text and never runs, online or offline, and the CSP refuses inline script; and
 * signing out leaves nothing of the technician on the device for the next one.
 */

const IMG = '<img src=x onerror="window.__pwned=1">'
const SCRIPT = '<script>window.__pwned=2</script>'

function uuid(): string {
  return crypto.randomUUID()
}

/** Puts the payloads into every job of Alex's via the dispatcher API: title, a note, 2 labels. */
async function plantPayloads(server: TestServer): Promise<void> {
  const office = await apiAs(server, DISPATCHER)
  const [alex] = server.sql<{ id: string }>(
    "SELECT id FROM users WHERE email = 'alex@fieldline.test'",
  )
  const { jobs } = await office.get<{ jobs: Array<{ id: string }> }>(
    `/api/dispatch/jobs?technicianId=${alex?.id}`,
  )
  for (const job of jobs) {
    await office.send('PATCH', `/api/dispatch/jobs/${job.id}`, { title: `${IMG} ${SCRIPT}` })
  }
  const labels = [uuid(), uuid()]
  const now = new Date().toISOString()
  let seq = 0
  const m = (name: string, args: unknown) => ({ id: uuid(), seq: ++seq, name, args, at: now })
  const mutations = [
    m('label.create', { id: labels[0], name: IMG, color: '#aa0000' }),
    m('label.create', { id: labels[1], name: SCRIPT, color: '#00aa00' }),
    ...jobs.flatMap((job) => [
      m('note.add', { id: uuid(), jobId: job.id, body: `${IMG}\n${SCRIPT}`, createdAt: now }),
      m('job.addLabel', { jobId: job.id, labelId: labels[0] }),
      m('job.addLabel', { jobId: job.id, labelId: labels[1] }),
    ]),
  ]
  for (let i = 0; i < mutations.length; i += 200) {
    const res = await office.send<{ results: Array<{ status: string }> }>(
      'POST',
      '/api/sync/push',
      { deviceId: uuid(), mutations: mutations.slice(i, i + 200) },
    )
    expect(res.results.every((r) => r.status === 'applied')).toBe(true)
  }
}

/** Nothing ran, no element was made from the text, and the text shows literally. */
async function expectInert(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
  expect(await page.locator('img[src="x"]').count()).toBe(0)
  expect(await page.evaluate(() => document.querySelectorAll('script:not([src])').length)).toBe(0)
  await expect(page.getByTestId('job-title')).toContainText(IMG)
  await expect(page.getByTestId('job-title')).toContainText(SCRIPT)
  const note = page.getByTestId('note').filter({ hasText: IMG }).first()
  await expect(note).toBeVisible()
  await expect(note).toContainText(SCRIPT)
  await expect(page.getByTestId('job-labels')).toContainText(IMG)
  await expect(page.getByTestId('job-labels')).toContainText(SCRIPT)
}

test('user text is always text: note, label and job title payloads never run, online or offline', async ({
  page,
  context,
  server,
}) => {
  await plantPayloads(server)
  // Record every CSP violation the page reports.
  await context.addInitScript(() => {
    const w = window as unknown as { __violations: string[] }
    w.__violations = []
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })

  await signIn(page)
  await waitForTodaysVisits(page)
  // The list shows the titles as text.
  await expect(page.getByTestId('visit').first()).toContainText(IMG)
  await page.getByTestId('visit').first().click()
  await expectInert(page)
  const jobUrl = page.url()

  await context.setOffline(true)
  await page.reload()
  await page.goto(jobUrl)
  await expectInert(page)
  await context.setOffline(false)

  // The app itself causes no violations; an inline script injected into the DOM is refused
  // by the CSP and does not run.
  expect(
    await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  ).toEqual([])
  const blocked = await page.evaluate(async () => {
    const w = window as unknown as { __violations: string[]; __pwned?: unknown }
    const s = document.createElement('script')
    s.textContent = 'window.__pwned = 3'
    document.body.append(s)
    await new Promise((r) => setTimeout(r, 100))
    return { pwned: w.__pwned, violations: w.__violations }
  })
  expect(blocked.pwned).toBeUndefined()
  expect(blocked.violations.some((v) => v.startsWith('script-src'))).toBe(true)
})

test('sign-out leaves nothing of the technician: the next one, offline, finds none of their data', async ({
  page,
  context,
  server,
}) => {
  const [alex] = server.sql<{ id: string }>(
    "SELECT id FROM users WHERE email = 'alex@fieldline.test'",
  )
  const alexJobs = server.sql<{ id: string; title: string }>(
    'SELECT id, title FROM jobs WHERE technician_id = ?',
    alex?.id,
  )
  const alexCustomers = server
    .sql<{ name: string }>(
      'SELECT DISTINCT c.name FROM customers c JOIN jobs j ON j.customer_id = c.id WHERE j.technician_id = ?',
      alex?.id,
    )
    .map((c) => c.name)
  const [sam] = server.sql<{ id: string }>(
    "SELECT id FROM users WHERE email = 'sam@fieldline.test'",
  )
  const samCustomers = new Set(
    server
      .sql<{ name: string }>(
        'SELECT DISTINCT c.name FROM customers c JOIN jobs j ON j.customer_id = c.id WHERE j.technician_id = ?',
        sam?.id,
      )
      .map((c) => c.name),
  )

  // Alex works: pre-load (records and files), opens a job, and leaves a note queued offline.
  await signIn(page)
  await waitForTodaysVisits(page)
  await page.getByTestId('visit').first().click()
  await expect(page.getByTestId('job-title')).toBeVisible()
  await context.setOffline(true)
  const secret = `Alex's private note ${Date.now()}`
  await page.getByPlaceholder('Add a note…').fill(secret)
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('note').filter({ hasText: secret })).toBeVisible()

  // Sign out with an action unsent: the app asks first; "Sign out anyway" deletes it.
  await page.goto('/#/settings')
  // Offline: told before signing out that signing in again needs a connection.
  await expect(page.getByTestId('sign-out')).toHaveAccessibleDescription(
    /signing in again needs a connection/,
  )
  await page.getByTestId('sign-out').click()
  await expect(page.getByRole('alertdialog')).toContainText('not uploaded')
  await page.getByRole('button', { name: 'Sign out anyway' }).click()
  await expect(page.getByLabel('Email')).toBeVisible()
  // The button that had focus is gone: the sign-in screen's heading takes it, not the page body.
  await expect(page.getByRole('heading', { level: 1, name: 'Fieldline' })).toBeFocused()
  await expect(page).toHaveTitle('Sign in · Fieldline')
  await context.setOffline(false)

  const device = () =>
    page.evaluate(async () => {
      const dbs = (await indexedDB.databases()).map((d) => d.name ?? '')
      const cacheNames = await caches.keys()
      const cached: string[] = []
      for (const name of cacheNames) {
        for (const req of await (await caches.open(name)).keys()) cached.push(req.url)
      }
      return { dbs, cacheNames, cached }
    })
  const afterSignOut = await device()
  expect(afterSignOut.dbs).not.toContain(`fieldline-user-${alex?.id}`)
  expect(afterSignOut.dbs.filter((n) => n.startsWith('fieldline-user-'))).toEqual([])
  expect(afterSignOut.cacheNames).not.toContain('fieldline-api')
  expect(afterSignOut.cached.filter((u) => new URL(u).pathname.startsWith('/api/'))).toEqual([])
  // The queued note never reached the server: it was deleted, not uploaded.
  expect(server.sql('SELECT id FROM notes WHERE body = ?', secret)).toEqual([])

  // Sam signs in on the same browser, loads the day, goes offline and reloads.
  await signIn(page, { email: 'sam@fieldline.test', password: 'fieldline', name: 'Sam Okafor' })
  await waitForTodaysVisits(page)
  await context.setOffline(true)
  await page.reload()
  await waitForTodaysVisits(page)

  const html = await page.content()
  expect(html).not.toContain(secret)
  for (const job of alexJobs) {
    expect(html).not.toContain(job.id)
  }
  for (const name of alexCustomers) {
    if (!samCustomers.has(name)) expect(html).not.toContain(name)
  }
  // Alex's job pages are not there either, offline.
  await page.goto(`/#/job/${alexJobs[0]?.id}`)
  await expect(page.getByTestId('job-title')).toHaveCount(0)

  const onDevice = await device()
  expect(onDevice.dbs.filter((n) => n.startsWith('fieldline-user-'))).toEqual([
    `fieldline-user-${sam?.id}`,
  ])
  expect(onDevice.cacheNames).not.toContain('fieldline-api')
  expect(onDevice.cached.filter((u) => new URL(u).pathname.startsWith('/api/'))).toEqual([])
  // And nothing of Alex's in Sam's local database.
  const dump = await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name)
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    const stores = [...db.objectStoreNames].filter((s) => s !== 'files')
    const tx = db.transaction(stores)
    const all = await Promise.all(
      stores.map(
        (s) =>
          new Promise<unknown[]>((resolve) => {
            const r = tx.objectStore(s).getAll()
            r.onsuccess = () => resolve(r.result)
          }),
      ),
    )
    db.close()
    return JSON.stringify(all)
  }, `fieldline-user-${sam?.id}`)
  expect(dump).not.toContain(secret)
  for (const job of alexJobs) expect(dump).not.toContain(job.id)
})
