// @ts-check
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadHelper } from '../lib/browser.mjs'
import { DRAIN_BATCH } from '../lib/options.mjs'
import { sleep } from '../lib/phases.mjs'
import { round } from '../lib/util.mjs'

/**
 * Replay through our outbox: Alex queues `actions` notes offline through the app's perform(),
 * then the browser goes online with `rttMs` added to every request. `ms` runs from reconnect
 * until the SQLite file holds all of them (polled every 2 ms).
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function replay(ctx) {
  const { context, page } = ctx.browser()
  const { opts, proxy } = ctx
  ctx.waitFor('the bench helper in the page')
  await loadHelper(page)
  await sleep(500)
  const prefix = `bench-replay-${ctx.runId}`
  ctx.waitFor('the browser to go offline')
  await context.setOffline(true)
  await page.waitForFunction(() => !navigator.onLine)
  ctx.waitFor(`${opts.actions} notes queued through perform()`)
  const queued = await page.evaluate(
    ([p, n]) => /** @type {any} */ (window).fieldlineBench.queueNotes(p, n),
    /** @type {[string, number]} */ ([prefix, opts.actions]),
  )
  ctx.state.replayJobId = queued.jobId
  ctx.state.userId = queued.userId
  ctx.log(`queued ${queued.queued} notes offline through perform() in ${Math.round(queued.ms)} ms`)
  await sleep(1000)
  ctx.waitFor('the drain steps measurement')
  const drainSteps = await page.evaluate(() =>
    /** @type {any} */ (window).fieldlineBench.drainSteps(),
  )
  await sleep(500)
  const revBefore = ctx.currentRev()
  proxy.setDelay(opts.rttMs)
  const t0 = performance.now()
  try {
    await context.setOffline(false)
    const tServer = await ctx.until(
      () => ctx.serverCount(prefix, revBefore).n >= opts.actions,
      60_000,
      `the server to hold all ${opts.actions} replayed notes`,
    )
    const tDevice = await ctx.until(
      async () =>
        (await page.evaluate(() => /** @type {any} */ (window).fieldlineBench.outboxCount())) === 0,
      30_000,
      'the outbox to empty after the replay',
      10,
    )
    await sleep(300)
    const log = proxy.since(t0).filter((r) => r.start <= tServer)
    const count = ctx.serverCount(prefix, revBefore)
    ctx.results.replay = {
      actions: opts.actions,
      rttMs: opts.rttMs,
      ms: round(tServer - t0),
      requests: log.filter((r) => r.path.startsWith('/api/sync/push')).length,
      allRequests: log.length,
      requestPaths: log.map(
        (r) => `${r.method} ${r.path.split('?')[0]} ${round(r.start - t0)}→${round(r.end - t0)}`,
      ),
      deviceDoneMs: round(tDevice - t0),
      drainStepsMs: drainSteps,
      queueMs: round(queued.ms),
      boundMs: Math.ceil(opts.actions / DRAIN_BATCH) * opts.rttMs,
      serverCount: count.n,
      serverDistinct: count.d,
    }
    if (count.n !== opts.actions || count.d !== opts.actions) {
      ctx.failures.push(
        `replay: server holds ${count.n} notes (${count.d} distinct), expected ${opts.actions}`,
      )
    }
    ctx.log(
      `replay: ${ctx.results.replay.ms} ms, ${ctx.results.replay.requests} pushes, device done at ${ctx.results.replay.deviceDoneMs} ms`,
    )
  } finally {
    proxy.setDelay(0)
  }
  // Photos: only if the app has a photo action to queue (a hook, not measured yet).
  const source = readFileSync(join(ctx.root, 'protocol/mutations.ts'), 'utf8')
  ctx.results.replayWithPhotos = {
    supported: /['"](photo|attachment)\.add['"]/.test(source),
    note: `photos in the replay are not measured yet; hook: --photo-every ${opts.photoEvery}`,
  }
}
