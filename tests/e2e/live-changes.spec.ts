import { test as base } from '@playwright/test'
import { apiAs, DISPATCHER, expect, signIn, waitForTodaysVisits } from './support/fixtures'
import { aJobOfTech, lateTodaySlot } from './support/office'
import { createPgDatabase } from './support/postgres'
import { TestServer } from './support/server'

/**
 * Two API instances on one PostgreSQL: the technician's page talks to A (which holds its event
 * stream); the office writes through B. The signal crosses from B to A by LISTEN/NOTIFY.
 */
const test = base.extend<{ pair: { a: TestServer; b: TestServer } }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
  pair: async ({}, use) => {
    const database = await createPgDatabase()
    const env = { DATABASE_URL: database.url }
    const a = new TestServer(env)
    const b = new TestServer(env)
    // One after the other: the first migrates and seeds, the second finds it done.
    await a.start()
    await b.start()
    await use({ a, b })
    await a.dispose()
    await b.dispose()
    await database.drop()
  },
  baseURL: async ({ pair }, use) => use(pair.a.url),
})

test("a dispatcher's new appointment shows on the technician's open Today within seconds, without a tap", async ({
  page,
  pair,
}) => {
  const streamOpen = page.waitForResponse(
    (r) => r.url().endsWith('/api/sync/events') && r.status() === 200,
  )
  await signIn(page)
  await waitForTodaysVisits(page)
  await streamOpen
  const visits = page.getByTestId('visit')
  const before = await visits.count()

  const jobId = await aJobOfTech(pair.a)
  const [startsAt, endsAt] = await lateTodaySlot(page)

  const office = await apiAs(pair.b, DISPATCHER)
  await office.send('POST', '/api/dispatch/appointments', { jobId, startsAt, endsAt })
  const answered = Date.now()
  // The aim is under 2 s (186–945 ms measured, at load 10 and in CI); the limit is wider so a
  // loaded CI machine does not fail it. Without the stream the next pull is minutes away.
  await expect(visits).toHaveCount(before + 1, { timeout: 5_000 })
  const elapsed = Date.now() - answered
  console.log(`dispatcher write on B → visit on the page held by A: ${elapsed} ms (aim: < 2,000)`)
})

test('one tab holds the stream; the other tab of the same user shows the change too', async ({
  page,
  pair,
}) => {
  const streams: string[] = []
  page.context().on('request', (r) => {
    if (r.url().endsWith('/api/sync/events')) streams.push(r.url())
  })
  const streamOpen = page
    .context()
    .waitForEvent('response', (r) => r.url().endsWith('/api/sync/events') && r.status() === 200)
  await signIn(page)
  await waitForTodaysVisits(page)
  const second = await page.context().newPage()
  await second.goto('/')
  await waitForTodaysVisits(second)
  const before = await second.getByTestId('visit').count()
  await expect.poll(() => streams.length).toBe(1)
  await streamOpen

  const jobId = await aJobOfTech(pair.a)
  const [startsAt, endsAt] = await lateTodaySlot(page)
  await (await apiAs(pair.b, DISPATCHER)).send('POST', '/api/dispatch/appointments', {
    jobId,
    startsAt,
    endsAt,
  })
  // Not the latency promise (the test above measures that): the tab without the stream follows
  // the shared database. Under CI's load the two pulls and renders took over 2 s once.
  for (const p of [page, second]) {
    await expect(p.getByTestId('visit')).toHaveCount(before + 1, { timeout: 10_000 })
  }
  // Only one stream for the two tabs (the Web Lock), still.
  expect(streams).toHaveLength(1)
})
