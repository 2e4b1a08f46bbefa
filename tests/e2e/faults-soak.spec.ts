import { mkdirSync, writeFileSync } from 'node:fs'
import { FAULTS, FaultProxy } from './support/faultProxy'
import {
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'
import { loadHelper, serveHelper } from './support/pageHelper'

/**
 * Soak: many actions through a proxy that breaks ~30% of the uploads (500 before the server,
 * dropped connections, hangs, answers lost after the server committed, 502 after commit).
 * `npm test` runs 500; `npm run soak -- --actions N` runs more (SOAK_ACTIONS, SOAK_FAULT_RATE,
 * SOAK_SEED). The page queues notes through the app's own perform() in bursts and kicks a
 * drain after each burst, while the app's own triggers (page timers, connection probe, service
 * worker Background Sync) drain the same queue under the same Web Lock.
 */
const ACTIONS = Number(process.env.SOAK_ACTIONS ?? 500)
const FAULT_RATE = Number(process.env.SOAK_FAULT_RATE ?? 0.3)
const SEED = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 1e9))
const BURST = 10
/** The drains the soak kicks give up on a hung request after this long (the app's own: 20 s). */
const DRAIN_TIMEOUT_MS = 1_500

test(`soak: ${ACTIONS} notes through ${Math.round(FAULT_RATE * 100)}% faults arrive exactly once, in order`, async ({
  browser,
  server,
}, testInfo) => {
  test.setTimeout(90_000 + ACTIONS * 400)
  const proxy = await new FaultProxy({ target: server.url, seed: SEED, hangMs: 4_000 }).start()
  const context = await browser.newContext({ baseURL: proxy.url })
  try {
    await serveHelper(context)
    const page = await context.newPage()
    await signIn(page)
    await waitForTodaysVisits(page)
    const jobId = await openFirstJobToday(page)
    await page.goto('/#/')
    await loadHelper(page)
    const before = serverNotes(server, jobId)
    const prefix = `soak-${SEED}`
    const started = Date.now()

    // Every kind of fault at least twice, whatever the batch sizes turn out to be (a quick drain
    // sends few, big batches: at 30 % of ~30 pushes, chance alone may inject under ten faults),
    // then faults at random.
    proxy.plan = FAULTS.flatMap((f) => [f, 'none' as const, f, 'none' as const])
    proxy.faultRate = FAULT_RATE
    for (let from = 0; from < ACTIONS; from += BURST) {
      const count = Math.min(BURST, ACTIONS - from)
      await page.evaluate(
        async ({ jobId, prefix, from, count, timeout }) => {
          const f = window.fieldlineFaults
          if (!f) throw new Error('helper not loaded')
          await f.queueNotes(jobId, prefix, from, count)
          void f.drainOnce(timeout)
        },
        { jobId, prefix, from, count, timeout: DRAIN_TIMEOUT_MS },
      )
    }
    // Keep draining (as the app's triggers would) until the device's queue is empty.
    await expect
      .poll(
        () =>
          page.evaluate(async (timeout) => {
            const f = window.fieldlineFaults
            if (!f) throw new Error('helper not loaded')
            await f.drainOnce(timeout)
            return f.outbox()
          }, DRAIN_TIMEOUT_MS),
        { timeout: 60_000 + ACTIONS * 200, intervals: [100] },
      )
      .toEqual({})
    const seconds = (Date.now() - started) / 1000
    proxy.faultRate = 0

    const expected = Array.from(
      { length: ACTIONS },
      (_, i) => `${prefix}-${String(i).padStart(5, '0')}`,
    )
    const stored = serverNotes(server, jobId)
      .slice(before.length)
      .filter((b) => b.startsWith(prefix))
    const distinct = new Set(stored)
    const lost = expected.filter((b) => !distinct.has(b)).length
    const duplicated = stored.length - distinct.size
    const applied = server.sql<{ n: number }>(
      "SELECT count(*) AS n FROM processed_mutations WHERE name = 'note.add' AND status = 'applied'",
    )[0]?.n
    const result = {
      when: new Date().toISOString(),
      seed: SEED,
      actions: ACTIONS,
      faultRate: FAULT_RATE,
      pushRequests: proxy.stats.matched,
      pushesReachingServer: proxy.stats.forwarded,
      faultsInjected: proxy.totalFaults,
      faults: proxy.stats.faults,
      lost,
      duplicated,
      inOrder: JSON.stringify(stored) === JSON.stringify(expected),
      seconds,
    }
    console.log(`soak result: ${JSON.stringify(result)}`)
    mkdirSync('test-results', { recursive: true })
    writeFileSync('test-results/soak.json', `${JSON.stringify(result, null, 2)}\n`)
    await testInfo.attach('soak.json', { body: JSON.stringify(result, null, 2) })

    expect(lost, 'actions lost').toBe(0)
    expect(duplicated, 'actions applied twice').toBe(0)
    expect(stored).toEqual(expected)
    expect(applied).toBe(ACTIONS)
    // Enough faults of each kind were really injected for the run to mean something.
    for (const f of FAULTS) expect(proxy.stats.faults[f], f).toBeGreaterThanOrEqual(2)
    // The app's own screen agrees: nothing waits.
    await page.reload()
    await expect(page.getByTestId('visit').first()).toBeVisible()
    await expect(page.getByTestId('pending-count')).toHaveCount(0)
  } finally {
    await context.close()
    await proxy.close()
  }
})
