// @ts-check
/**
 * Phases, their timeouts, and cleaning up whatever the bench started.
 *
 * Each figure runs as one phase with its own time limit. While it runs, the phase says what it is
 * waiting for (`ctx.waitFor(what)`, also set by `ctx.until`), so a phase that runs out of time
 * is reported as "phase X timed out after N ms waiting for Y". A timed-out phase's promise is
 * abandoned, not cancelled: the runner then closes the browser and kills the servers, which makes
 * any pending Playwright call or fetch fail, and the process exits.
 *
 * Everything started registers an async stopper with `cleanup.add`; `cleanup.run()` calls them
 * newest first, each bounded by 10 s, and is also run on SIGINT/SIGTERM. Server children are in
 * their own process group and a synchronous last resort SIGKILLs those groups on process exit.
 */

/** @param {number} ms */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

export class PhaseTimeout extends Error {}

/** Stoppers, newest first. */
export function createCleanup() {
  /** @type {Array<{ what: string, stop: () => unknown }>} */
  const stack = []
  /** @type {Set<number>} process group ids to SIGKILL if the process exits with them alive */
  const groups = new Set()
  let running = false
  // After run(), anything a timed-out phase still starts is stopped at once.
  let closed = false
  const lastResort = () => {
    for (const pgid of groups) {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
  process.on('exit', lastResort)
  const api = {
    /** True once run() has started: a phase that timed out must not start anything new. */
    get closed() {
      return closed
    },
    /** @param {string} what @param {() => unknown} stop */
    add(what, stop) {
      if (closed) {
        void Promise.resolve()
          .then(stop)
          .catch(() => {})
        return () => {}
      }
      const entry = { what, stop }
      stack.push(entry)
      return () => {
        const i = stack.indexOf(entry)
        if (i >= 0) stack.splice(i, 1)
      }
    },
    /** @param {number} pgid */
    trackGroup(pgid) {
      groups.add(pgid)
      return () => groups.delete(pgid)
    },
    async run() {
      if (running) return
      running = true
      closed = true
      while (stack.length > 0) {
        const { what, stop } = /** @type {{ what: string, stop: () => unknown }} */ (stack.pop())
        const limit = sleep(10_000).then(() => {
          throw new Error('did not stop within 10 s')
        })
        try {
          await Promise.race([Promise.resolve().then(stop), limit])
        } catch (err) {
          console.error(`bench: cleanup of ${what} failed: ${/** @type {Error} */ (err).message}`)
        }
      }
      lastResort()
      running = false
    },
  }
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping what was started`)
      void api.run().finally(() => process.exit(130))
    })
  }
  return api
}

/**
 * Runs `fn` as phase `name`, bounded by `timeoutMs` (or the overrides in opts). Records
 * { status, ms, waitingFor, error } in results.phases[name]; throws on failure.
 * @template T
 * @param {{ opts: typeof import('./options.mjs').opts, results: Record<string, any>, log: (m: string) => void, waiting: string | null, describe?: () => Promise<unknown> }} ctx
 * @param {string} name
 * @param {number} timeoutMs
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function runPhase(ctx, name, timeoutMs, fn) {
  const limit = ctx.opts.failPhase === name ? 1 : (ctx.opts.phaseTimeoutMs ?? Math.round(timeoutMs))
  ctx.results.phases ??= {}
  const record = {
    status: 'running',
    timeoutMs: limit,
    ms: 0,
    waitingFor: /** @type {string|null} */ (null),
  }
  ctx.results.phases[name] = record
  ctx.waiting = 'the phase to start'
  ctx.log(`phase ${name} (limit ${limit} ms)`)
  const t0 = performance.now()
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new PhaseTimeout(
            `phase "${name}" timed out after ${limit} ms waiting for ${ctx.waiting ?? 'nothing named'}`,
          ),
        ),
      limit,
    )
  })
  // Says where it is while it waits: a slow phase on a loaded machine is told from a stuck one.
  const heartbeat = setInterval(() => {
    const s = Math.round((performance.now() - t0) / 1000)
    ctx.log(`  … ${name}, ${s} s in, waiting for ${ctx.waiting ?? 'nothing named'}`)
  }, 15_000)
  try {
    const value = await Promise.race([fn(), timeout])
    record.status = 'ok'
    return /** @type {T} */ (value)
  } catch (err) {
    record.status = err instanceof PhaseTimeout ? 'timeout' : 'failed'
    record.waitingFor = ctx.waiting
    Object.assign(record, { error: /** @type {Error} */ (err).message?.split('\n')[0] })
    ctx.results.failedPhase = name
    // What the page showed when it failed: the connection pill, the spinner, the route.
    if (ctx.describe) {
      const state = await Promise.race([ctx.describe().catch((e) => String(e)), sleep(3_000)])
      Object.assign(record, { pageState: state ?? 'no answer within 3 s' })
    }
    throw err
  } finally {
    clearTimeout(timer)
    clearInterval(heartbeat)
    record.ms = Math.round(performance.now() - t0)
    ctx.waiting = null
  }
}
