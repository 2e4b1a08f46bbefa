// @ts-check
import { randomUUID } from 'node:crypto'
import { sleep } from '../lib/phases.mjs'
import { round } from '../lib/util.mjs'

/**
 * The baseline: a service worker with scope /bench-baseline/ using workbox-background-sync's
 * Queue; each note is its own one-mutation POST /api/sync/push. Same notes, job, browser,
 * server and delay as the replay. The Queue replays from its own `sync` event; the runner
 * nudges it only if no push arrived 3 s after reconnect.
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function replayBaseline(ctx) {
  const { context, page } = ctx.browser()
  const { opts, proxy } = ctx
  const jobId = /** @type {string} */ (ctx.state.replayJobId)
  if (!jobId || !ctx.results.replay) throw new Error('the replay phase did not run')
  // Registered from the app's own page: a page opened at /bench-baseline/ is the app too (the
  // app's worker answers every navigation with the app shell), and that second copy of the app
  // may reload itself when a worker takes over: registering from there hung (issue 16; the
  // reload is our best guess, not proven).
  {
    ctx.waitFor('the baseline worker to register and activate')
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.register('/bench-baseline/sw.js', {
        scope: '/bench-baseline/',
      })
      for (let i = 0; i < 200 && !reg.active; i++) await new Promise((r) => setTimeout(r, 25))
      if (!reg.active) throw new Error('baseline worker did not activate')
    })
    const prefix = `bench-baseline-${ctx.runId}`
    const at = new Date().toISOString()
    const mutations = Array.from({ length: opts.actions }, (_, i) => ({
      id: randomUUID(),
      seq: i + 1,
      name: 'note.add',
      args: { id: randomUUID(), jobId, body: `${prefix}-${i}`, createdAt: at },
      at,
    }))
    ctx.waitFor('the baseline queue to take the notes offline')
    await context.setOffline(true)
    await page.waitForFunction(() => !navigator.onLine)
    const queued = await page.evaluate(
      async ([deviceId, list]) => {
        const reg = await navigator.serviceWorker.getRegistration('/bench-baseline/')
        const channel = new MessageChannel()
        const answer = new Promise((resolve) => {
          channel.port1.onmessage = (e) => resolve(e.data)
        })
        reg?.active?.postMessage({ type: 'enqueue', deviceId, mutations: list }, [channel.port2])
        return answer
      },
      /** @type {[string, typeof mutations]} */ ([randomUUID(), mutations]),
    )
    if (!(/** @type {any} */ (queued).ok))
      throw new Error(`baseline enqueue: ${JSON.stringify(queued)}`)
    await sleep(1000)
    const revBefore = ctx.currentRev()
    proxy.setDelay(opts.rttMs)
    const b0 = performance.now()
    await context.setOffline(false)
    let fallbackUsed = false
    const nudge = setTimeout(() => {
      if (proxy.since(b0).some((r) => r.path.startsWith('/api/sync/push'))) return
      fallbackUsed = true
      void page
        .evaluate(async () => {
          const reg = await navigator.serviceWorker.getRegistration('/bench-baseline/')
          reg?.active?.postMessage({ type: 'replay' }, [new MessageChannel().port2])
        })
        .catch(() => {})
    }, 3_000)
    try {
      const bServer = await ctx.until(
        () => ctx.serverCount(prefix, revBefore).n >= opts.actions,
        baselineLimitMs(opts) - 10_000,
        `the server to hold all ${opts.actions} baseline notes`,
        5,
      )
      await sleep(300)
      const log = proxy.since(b0).filter((r) => r.start <= bServer)
      const count = ctx.serverCount(prefix, revBefore)
      Object.assign(ctx.results.replay, {
        baselineMs: round(bServer - b0),
        baselineRequests: log.filter((r) => r.path.startsWith('/api/sync/push')).length,
        baselineAllRequests: log.length,
        baselineFallbackUsed: fallbackUsed,
        baselineServerCount: count.n,
      })
      ctx.results.replay.ratio = round(ctx.results.replay.baselineMs / ctx.results.replay.ms)
      if (count.n !== opts.actions || count.d !== opts.actions) {
        ctx.failures.push(
          `baseline: server holds ${count.n} notes (${count.d} distinct), expected ${opts.actions}`,
        )
      }
      ctx.log(
        `baseline: ${ctx.results.replay.baselineMs} ms, ${ctx.results.replay.baselineRequests} pushes; ratio ${ctx.results.replay.ratio}`,
      )
    } finally {
      clearTimeout(nudge)
      proxy.setDelay(0)
    }
  }
}

/** One POST per note at rttMs each (~60 ms of work on top here), three times over, + 30 s. @param {typeof import('../lib/options.mjs').opts} opts */
export const baselineLimitMs = (opts) => opts.actions * (opts.rttMs + 60) * 3 + 40_000
