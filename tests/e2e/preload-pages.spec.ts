import type { PullResponse } from '../../protocol/sync'
import { apiAs, test as base, expect, signIn, TECH, type TestServer } from './support/fixtures'
import { loadHelper, serveHelper } from './support/pageHelper'
import { TestServer as Server } from './support/server'

/** The server answers pulls in pages of 60 rows: the demo technician's pre-load takes many. */
const test = base.extend<{ server: TestServer }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
  server: async ({}, use) => {
    const server = new Server({ PULL_PAGE_ROWS: '60' })
    await server.start()
    await use(server)
    await server.dispose()
  },
})

test('a pre-load cut halfway keeps the pages written and resumes after them', async ({
  page,
  context,
  server,
}) => {
  await serveHelper(context)
  // The link drops after the third page: later page requests fail until it is back.
  const asked: string[] = []
  let linkUp = false
  await context.route('**/api/sync/pull*', (route) => {
    asked.push(new URL(route.request().url()).searchParams.get('cursor') ?? '')
    if (linkUp || asked.length <= 3) return route.continue()
    return route.abort('internetdisconnected')
  })
  await signIn(page)
  await expect.poll(() => asked.length).toBeGreaterThan(3)
  await loadHelper(page)
  const cut = await page.evaluate(() => window.fieldlineFaults?.localCopy())
  // Three pages written, each with the cursor after it; whole visits are already on screen.
  expect(cut?.cursor).toMatch(/^p\./)
  expect(cut?.counts.jobs).toBeGreaterThan(0)
  await expect(page.getByTestId('visit').first()).toBeVisible()

  // The whole scope, as one fresh pull from the server sees it.
  const api = await apiAs(server, TECH)
  const whole: Record<string, number> = {}
  let cursor = ''
  for (;;) {
    const body = await api.get<PullResponse>(
      `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    )
    for (const [table, rows] of Object.entries(body.changes)) {
      whole[table] = (whole[table] ?? 0) + rows.length
    }
    cursor = body.cursor
    if (!body.more) break
  }
  const total = Object.values(whole).reduce((a, b) => a + b, 0)
  const held = Object.values(cut?.counts ?? {}).reduce((a, b) => a + b, 0)
  expect(held).toBeLessThan(total)

  // Back online: the next pull starts from the stored page cursor, not from the beginning.
  linkUp = true
  const before = asked.length
  await page.getByTestId('refresh').first().click()
  await expect(page.getByTestId('preload-ready')).toBeVisible({ timeout: 30_000 })
  expect(asked[before]).toBe(cut?.cursor)
  const after = await page.evaluate(() => window.fieldlineFaults?.localCopy())
  expect(after?.cursor).toMatch(/^\d+\.\d+$/)
  // Counts per kind equal the server's scope (a customer shared by two groups of jobs is sent
  // twice, so the sum of pages can count it twice).
  for (const [table, n] of Object.entries(whole)) {
    if (table === 'customers') expect(after?.counts[table]).toBeLessThanOrEqual(n)
    else expect(after?.counts[table], table).toBe(n)
  }
})
