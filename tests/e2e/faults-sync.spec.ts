import type { ChildProcess } from 'node:child_process'
import Database from 'better-sqlite3'
import { FaultProxy } from './support/faultProxy'
import {
  addNote,
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  TECH,
  type TestServer,
  test,
  waitForTodaysVisits,
  withoutBackgroundSync,
} from './support/fixtures'

test.describe.configure({ timeout: 150_000 })

function appliedNotes(server: TestServer): number {
  return (
    server.sql<{ n: number }>(
      "SELECT count(*) AS n FROM processed_mutations WHERE name = 'note.add' AND status = 'applied'",
    )[0]?.n ?? 0
  )
}

/** Every mutation id the server received in push bodies, with how many times. */
function sentIds(bodies: string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const b of bodies)
    for (const m of (JSON.parse(b) as { mutations: Array<{ id: string }> }).mutations)
      counts.set(m.id, (counts.get(m.id) ?? 0) + 1)
  return counts
}

const VARIANTS = ['Chrome (Background Sync)', 'Safari (no Background Sync)'] as const

for (const variant of VARIANTS) {
  test(`${variant}: the server stopped mid-batch (killed before commit, stopped after commit) and started again: each note once, in order`, async ({
    browser,
    server,
  }) => {
    const proxy = await new FaultProxy({ target: server.url }).start()
    // The app talks to the server through the proxy, which lets the test act at the exact
    // moment a batch is on its way in, or has been committed.
    const context = await browser.newContext({ baseURL: proxy.url })
    try {
      if (variant.startsWith('Safari')) await withoutBackgroundSync(context)
      const page = await context.newPage()
      await signIn(page)
      await waitForTodaysVisits(page)
      const jobId = await openFirstJobToday(page)
      const before = serverNotes(server, jobId)

      // 1. kill -9 while the batch is in the server's hands (after the request was forwarded):
      // whether or not its transaction committed, the resend must not double anything.
      await context.setOffline(true)
      for (const n of ['Restart A1', 'Restart A2', 'Restart A3']) await addNote(page, n)
      let killedOnce = false
      proxy.onRequestSent = () => {
        if (killedOnce) return
        killedOnce = true
        killServer(server)
      }
      await context.setOffline(false)
      await expect.poll(() => killedOnce, { timeout: 20_000 }).toBe(true)
      proxy.onRequestSent = undefined
      await server.start()
      await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 30_000 })
      expect(serverNotes(server, jobId)).toEqual([
        ...before,
        'Restart A1',
        'Restart A2',
        'Restart A3',
      ])

      // 2. Stopped (SIGTERM) after committing, before the answer left: the answer is lost.
      await context.setOffline(true)
      for (const n of ['Restart B1', 'Restart B2']) await addNote(page, n)
      let stopped = false
      proxy.onForwarded = async () => {
        if (stopped) return
        stopped = true
        await server.stop()
      }
      proxy.plan = ['lost-answer']
      await context.setOffline(false)
      await expect.poll(() => stopped, { timeout: 20_000 }).toBe(true)
      proxy.onForwarded = undefined
      // Down for a while: the page keeps the queue and keeps probing.
      await expect(page.getByTestId('pending-count')).toHaveText('2')
      await server.start()
      await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 30_000 })
      expect(serverNotes(server, jobId)).toEqual([
        ...before,
        'Restart A1',
        'Restart A2',
        'Restart A3',
        'Restart B1',
        'Restart B2',
      ])
      expect(appliedNotes(server)).toBe(5)
    } finally {
      await context.close()
      await proxy.close()
    }
  })

  test(`${variant}: a session that expired offline keeps the queue, asks to sign in again, then uploads`, async ({
    page,
    context,
    server,
  }) => {
    if (variant.startsWith('Safari')) await withoutBackgroundSync(context)
    const signIns: string[] = []
    await context.route('**/api/auth/signin', async (route) => {
      signIns.push(route.request().postData() ?? '')
      await route.continue()
    })
    await signIn(page)
    await waitForTodaysVisits(page)
    expect(signIns).toHaveLength(1)
    const jobId = await openFirstJobToday(page)
    const before = serverNotes(server, jobId)

    await context.setOffline(true)
    await addNote(page, 'Written while the session ran out (1)')
    await addNote(page, 'Written while the session ran out (2)')
    // The session ends on the server while the technician is out.
    const db = new Database(server.file)
    db.prepare('DELETE FROM sessions').run()
    db.close()

    await context.setOffline(false)
    const notice = page.getByTestId('session-expired')
    await expect(notice).toBeVisible({ timeout: 20_000 })
    await expect(notice).toContainText('2 waiting actions')
    await expect(page.getByTestId('pending-count')).toHaveText('2')
    expect(serverNotes(server, jobId)).toEqual(before)
    // Nothing signed in by itself: no stored password was replayed.
    expect(signIns).toHaveLength(1)
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }))
    expect(stored).not.toContain(TECH.password)

    await notice.getByRole('link', { name: 'Sign in' }).click()
    await expect(page.getByLabel('Email')).toHaveValue(TECH.email)
    await expect(page.getByLabel('Password')).toHaveValue('')
    await page.getByLabel('Password').fill(TECH.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    // Back where the session ended (it went to Today), and Sign in is not a step of Back.
    await expect(page).toHaveURL(new RegExp(`#/job/${jobId}$`))
    await expect(page.getByTestId('job-title')).toBeVisible()
    await expect(notice).toHaveCount(0)
    await expect
      .poll(() => serverNotes(server, jobId).length, { timeout: 20_000 })
      .toBe(before.length + 2)
    await expect(page.getByTestId('pending-count')).toHaveCount(0)
    expect(signIns).toHaveLength(2)
    expect(serverNotes(server, jobId)).toEqual([
      ...before,
      'Written while the session ran out (1)',
      'Written while the session ran out (2)',
    ])
  })

  test(`${variant}: two tabs and the service worker come online together: each action is sent once`, async ({
    browser,
    server,
  }) => {
    const proxy = await new FaultProxy({ target: server.url }).start()
    const context = await browser.newContext({ baseURL: proxy.url })
    try {
      if (variant.startsWith('Safari')) await withoutBackgroundSync(context)
      const a = await context.newPage()
      await signIn(a)
      await waitForTodaysVisits(a)
      const jobId = await openFirstJobToday(a)
      const b = await context.newPage()
      await b.goto(`/#/job/${jobId}`)
      await expect(b.getByTestId('job-title')).toBeVisible()
      const before = serverNotes(server, jobId)
      const pushesBefore = proxy.forwardedBodies.length

      await context.setOffline(true)
      await addNote(a, 'Tab A 1')
      await addNote(b, 'Tab B 1')
      await addNote(a, 'Tab A 2')
      await addNote(b, 'Tab B 2')
      await expect(a.getByTestId('pending-count')).toHaveText('4')
      await expect(b.getByTestId('pending-count')).toHaveText('4')

      // Both tabs hear `online`, both probe, and (Chrome) the worker gets its sync event.
      await context.setOffline(false)
      await expect(a.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
      await expect(b.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
      // Poke every trigger once more: nothing is left to send.
      await a.getByTestId('refresh').click()
      await b.getByTestId('refresh').click()
      await expect(a.getByTestId('note').filter({ hasText: 'Tab B 2' })).toBeVisible()

      const ids = sentIds(proxy.forwardedBodies.slice(pushesBefore))
      expect([...ids.values()]).toEqual([1, 1, 1, 1])
      expect(serverNotes(server, jobId)).toEqual([
        ...before,
        'Tab A 1',
        'Tab B 1',
        'Tab A 2',
        'Tab B 2',
      ])
      expect(appliedNotes(server)).toBe(4)
    } finally {
      await context.close()
      await proxy.close()
    }
  })
}

test('a rejected note holds back nothing: later notes go (and are judged on their own); Retry sends them in order; Discard rolls back', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await page.getByTestId('visit').nth(1).click()
  const otherJob = decodeURIComponent(new URL(page.url()).hash.replace('#/job/', ''))
  await page.goto('/#/')
  const jobId = await openFirstJobToday(page)
  const office = await apiAs(server, DISPATCHER)
  const userId = (email: string) =>
    server.sql<{ id: string }>('SELECT id FROM users WHERE email = ?', email)[0]?.id
  const alex = userId(TECH.email)
  const sam = userId('sam@fieldline.test')
  // Keep the job on the device while it is someone else's (as when the device's pull has not
  // got through yet), so the technician can still act on it.
  await context.route('**/api/sync/pull*', (route) =>
    route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: '{"error":"down","message":"Pull held back by the test."}',
    }),
  )
  const before = serverNotes(server, jobId)

  // The office gives the job to Sam; the first note on it is refused.
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { technicianId: sam })
  await addNote(page, 'First note on the reassigned job')
  await page.goto('/#/settings/actions')
  await expect(page.getByTestId('failure-reason')).toContainText('no longer assigned to you', {
    timeout: 20_000,
  })

  // A later note on the same job does not wait behind it (it needs nothing the first one made):
  // it is sent too, and refused for its own reason; a note on another job goes.
  await page.goto(`/#/job/${jobId}`)
  await addNote(page, 'Second note, same job')
  await page.goto(`/#/job/${otherJob}`)
  await addNote(page, 'Note on another job')
  await expect
    .poll(() => server.sql('SELECT id FROM notes WHERE body = ?', 'Note on another job').length, {
      timeout: 20_000,
    })
    .toBe(1)
  await page.getByTestId('refresh').click()
  await page.goto('/#/settings/actions')
  const items = page.getByTestId('outbox-item')
  await expect(items).toHaveCount(2)
  await expect(items.nth(0)).toContainText('Failed')
  await expect(items.nth(1)).toContainText('Failed', { timeout: 20_000 })
  await expect(items.nth(1).getByTestId('failure-reason')).toContainText('no longer assigned')
  expect(serverNotes(server, jobId)).toEqual(before)

  // The office gives it back; Retry each, oldest first: they apply in that order.
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { technicianId: alex })
  await items.nth(0).getByRole('button', { name: 'Retry' }).click()
  await expect(items).toHaveCount(1, { timeout: 20_000 })
  await items.nth(0).getByRole('button', { name: 'Retry' }).click()
  await expect(page.getByTestId('all-caught-up')).toBeVisible({ timeout: 20_000 })
  expect(serverNotes(server, jobId)).toEqual([
    ...before,
    'First note on the reassigned job',
    'Second note, same job',
  ])

  // Discard rolls the local change back: a refused title edit, discarded, shows the title again.
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { technicianId: sam })
  await page.goto(`/#/job/${jobId}`)
  const title = (await page.getByTestId('job-title').textContent()) ?? ''
  await page.getByRole('button', { name: 'Edit job details' }).click()
  await page.getByLabel('Title').fill('Renamed on a job that is not mine any more')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByTestId('job-title')).toHaveText(
    'Renamed on a job that is not mine any more',
  )
  await page.goto('/#/settings/actions')
  await expect(page.getByTestId('failure-reason')).toContainText('no longer assigned', {
    timeout: 20_000,
  })
  await page.getByRole('button', { name: 'Discard' }).click()
  // By its name, as a user (or a role query) finds it: with the dialog open, the Discard behind
  // it is out of reach (src/app/hideOthers.ts), so there is one.
  await expect(page.getByRole('button', { name: 'Discard' })).toHaveCount(1)
  await page.getByRole('alertdialog').getByRole('button', { name: 'Discard' }).click()
  await expect(page.getByTestId('all-caught-up')).toBeVisible()
  await page.goto(`/#/job/${jobId}`)
  await expect(page.getByTestId('job-title')).toHaveText(title)
})

/** kill -9 the server process (TestServer.stop() is a polite SIGTERM). */
function killServer(server: TestServer): void {
  const proc = (server as unknown as { proc?: ChildProcess }).proc
  proc?.kill('SIGKILL')
}
