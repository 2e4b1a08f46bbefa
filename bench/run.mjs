// @ts-check
/**
 * Fieldline's benchmark suite (issues 9, 16): `npm run bench` (full) or `npm run bench -- --quick`.
 * Headless Chromium (persistent profile, so IndexedDB is on disk) drives the built app through
 * a delaying proxy in front of the real server on a temporary SQLite file. Each figure is a
 * module in bench/figures/ run as one phase with its own time limit (lib/phases.mjs). Prints a
 * table and writes bench/results.json — also when a phase fails or times out, with
 * `failedPhase` and `phases[name].waitingFor` saying where it stopped — and exits non-zero on a
 * failed phase or a wrong count. Whatever it started (servers, browsers, the PostgreSQL
 * database, the temp folder) is stopped on every way out. Options: see lib/options.mjs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { actionLatency } from './figures/actionLatency.mjs'
import { firstVisit } from './figures/firstVisit.mjs'
import { offlineStart } from './figures/offlineStart.mjs'
import { preload, refresh } from './figures/preload.mjs'
import { replay } from './figures/replay.mjs'
import { baselineLimitMs, replayBaseline } from './figures/replayBaseline.mjs'
import { serverPush, serverPushOnPostgres, sqliteQueries } from './figures/serverPush.mjs'
import { buildBenchBundles, idle, launchBrowser, signIn } from './lib/browser.mjs'
import { insertDataset } from './lib/dataset.mjs'
import { ALEX, opts, SAM } from './lib/options.mjs'
import { createCleanup, runPhase, sleep } from './lib/phases.mjs'
import { startProxy } from './lib/proxy.mjs'
import { printTable } from './lib/report.mjs'
import { startServer } from './lib/server.mjs'
import { summarizeProfile } from './lib/util.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const RESULTS = join(ROOT, 'bench', 'results.json')
const t00 = performance.now()

/**
 * What every figure gets. `browser()` throws if the browser phase has not run.
 * @typedef {{
 *   opts: typeof opts, root: string, dir: string, runId: string,
 *   results: Record<string, any>, failures: string[], state: Record<string, any>,
 *   log: (m: string) => void, waiting: string | null, waitFor: (what: string) => void,
 *   until: (fn: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs?: number) => Promise<number>,
 *   cleanup: ReturnType<typeof createCleanup>,
 *   server: Awaited<ReturnType<typeof startServer>>, proxy: Awaited<ReturnType<typeof startProxy>>,
 *   db: import('better-sqlite3').Database,
 *   browser: () => { context: import('playwright-core').BrowserContext, page: import('playwright-core').Page },
 *   serverCount: (prefix: string, sinceRev: number) => { n: number, d: number },
 *   currentRev: () => number, describe?: () => Promise<unknown>,
 * }} BenchContext
 */

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'fieldline-bench-'))
  const cleanup = createCleanup()
  if (!opts.profile) cleanup.add('temp folder', () => rmSync(dir, { recursive: true, force: true }))
  /** @type {ReturnType<typeof launchBrowser> extends Promise<infer B> ? B | null : never} */
  let browser = null
  /** @type {BenchContext} */
  const ctx = /** @type {any} */ ({
    opts,
    root: ROOT,
    dir,
    runId: Date.now().toString(36),
    results: { options: opts, startedAt: new Date().toISOString(), machine: machine() },
    failures: [],
    state: {},
    waiting: null,
    cleanup,
    log: (/** @type {string} */ m) =>
      console.log(`[bench ${((performance.now() - t00) / 1000).toFixed(1)}s] ${m}`),
    browser() {
      if (!browser) throw new Error('the browser phase did not run')
      return browser
    },
  })
  ctx.describe = async () =>
    browser?.page.evaluate(() => ({
      url: location.href,
      online: navigator.onLine,
      title: document.title,
      spinning: document.querySelector('.spinning') !== null,
      topBar: document.querySelector('.top-bar')?.textContent?.trim().slice(0, 120) ?? null,
      syncBar:
        document.querySelector('.sync-bar, [role="status"]')?.textContent?.trim().slice(0, 160) ??
        null,
    }))
  ctx.waitFor = (what) => {
    ctx.waiting = what
  }
  ctx.until = async (fn, timeoutMs, what, everyMs = 2) => {
    ctx.waiting = what
    const end = performance.now() + timeoutMs
    for (;;) {
      if (await fn()) return performance.now()
      if (performance.now() > end)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
      await sleep(everyMs)
    }
  }
  /** @param {string} name */
  const wanted = (name) => opts.only.length === 0 || opts.only.includes(name)
  /** @type {(name: string, limitMs: number, fn: () => Promise<unknown>) => Promise<unknown>} */
  const phase = (name, limitMs, fn) => runPhase(ctx, name, limitMs, fn)

  try {
    if (!opts.pushOnly) {
      await phase('bundles', 180_000, async () => {
        ctx.waitFor("vite to build the bench's helper and baseline worker")
        await buildBenchBundles(ROOT, join(ROOT, 'bench', '.out'))
      })
    }
    await phase('server', 60_000, async () => {
      ctx.waitFor('the server to start')
      ctx.server = await startServer({ root: ROOT, dir, profile: opts.profile, cleanup })
      ctx.waitFor('the proxy to start')
      ctx.proxy = await startProxy({
        target: ctx.server.url,
        staticDir: join(ROOT, 'bench', '.out'),
      })
      cleanup.add('proxy', () => ctx.proxy.close())
      ctx.db = new Database(ctx.server.file, { readonly: true, fileMustExist: true })
      cleanup.add('database handle', () => ctx.db.close())
      ctx.serverCount = (prefix, sinceRev) =>
        /** @type {{ n: number, d: number }} */ (
          ctx.db
            .prepare(
              'SELECT count(*) AS n, count(DISTINCT body) AS d FROM notes WHERE rev > ? AND body LIKE ?',
            )
            .get(sinceRev, `${prefix}-%`)
        )
      ctx.currentRev = () =>
        /** @type {{ value: number }} */ (
          ctx.db.prepare("SELECT value FROM counters WHERE name = 'rev'").get()
        ).value
      if (opts.pushOnly) return
      // The big data set goes to Sam (used only by the pre-load), before any browser is up.
      ctx.waitFor('the pre-load data set to be written')
      const writer = new Database(ctx.server.file)
      try {
        writer.pragma('busy_timeout = 5000')
        ctx.state.dataset = insertDataset(writer, {
          technicianEmail: SAM.email,
          now: new Date(),
          scale: opts.scale,
          filesDir: join(dirname(ctx.server.file), 'files'),
        })
      } finally {
        writer.close()
      }
      const counts = ctx.state.dataset.counts
      ctx.results.dataset = {
        technician: SAM.email,
        perKind: counts,
        total: Object.values(counts).reduce((n, c) => n + c, 0),
        lineItems: ctx.state.dataset.lineItems,
        note: 'rows inserted for Sam; the device receives these plus the demo data Sam already has (preload.entities)',
      }
      ctx.log(
        `server ${ctx.server.url}, proxy ${ctx.proxy.url}; for Sam: ${JSON.stringify(ctx.results.dataset)}`,
      )
    })
    if (!opts.pushOnly) {
      if (wanted('firstVisit')) await phase('firstVisit', 90_000, () => firstVisit(ctx))
      await phase('browser', 120_000, async () => {
        ctx.waitFor('Chromium to start')
        browser = await launchBrowser({
          profileDir: join(dir, 'browser'),
          baseURL: ctx.proxy.url,
          cleanup,
        })
        const { page } = browser
        ctx.waitFor('the sign-in page')
        await page.goto('/')
        await signIn(page, ALEX, ctx.waitFor)
        ctx.waitFor('the service worker to control the page')
        await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
        await ctx.until(() => idle(page), 30_000, 'the first sync to finish', 20)
      })
      const o = opts
      if (wanted('offlineStart'))
        await phase('offlineStart', o.offlineStarts * 20_000 + 40_000, () => offlineStart(ctx))
      if (wanted('replay') || wanted('replayBaseline'))
        await phase('replay', 120_000, () => replay(ctx))
      if (wanted('replayBaseline'))
        await phase('replayBaseline', baselineLimitMs(o), () => replayBaseline(ctx))
      if (wanted('actionLatency'))
        await phase('actionLatency', o.latencySamples * 1_000 + 120_000, () => actionLatency(ctx))
      if (wanted('preload')) {
        await phase('preload', 240_000, () => preload(ctx))
        await phase('refresh', 150_000, () => refresh(ctx))
      }
      await phase('closeBrowser', 30_000, async () => {
        ctx.waitFor('the browser to close')
        await browser?.close()
        browser = null
      })
    }
    // After the browser is gone, so the two cores are the server's and this process's.
    if (wanted('serverPush'))
      await phase('serverPush', 120_000, async () => {
        ctx.results.serverPush = await serverPush(ctx, ctx.server.url, sqliteQueries(ctx.db))
        ctx.log(`server push: ${JSON.stringify(ctx.results.serverPush)}`)
      })
    if (opts.postgres && wanted('serverPushPostgres'))
      await phase('serverPushPostgres', 180_000, async () => {
        ctx.results.serverPushPostgres = await serverPushOnPostgres(ctx)
        ctx.log(`server push (PostgreSQL): ${JSON.stringify(ctx.results.serverPushPostgres)}`)
      })
  } catch (err) {
    const name = ctx.results.failedPhase ?? '(outside a phase)'
    const message = /** @type {Error} */ (err).message?.split('\n')[0] ?? String(err)
    ctx.failures.push(`phase ${name}: ${message}`)
    console.error(`\nbench: phase ${name} failed: ${message}`)
  }
  await cleanup.run()
  if (opts.profile) keepProfiles(ctx)
  ctx.results.failures = ctx.failures
  ctx.results.finishedAt = new Date().toISOString()
  ctx.results.machineAtEnd = machine()
  ctx.results.totalSeconds = Math.round((performance.now() - t00) / 100) / 10
  writeFileSync(RESULTS, `${JSON.stringify(ctx.results, null, 2)}\n`)
  printTable(ctx.results)
  console.log('\nwritten: bench/results.json')
  if (ctx.failures.length > 0) {
    console.error(`\nBENCH FAILED:\n  ${ctx.failures.join('\n  ')}`)
    process.exit(1)
  }
}

/** The machine's load, so a figure can be read against it. */
function machine() {
  const [one, five] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number)
  return { loadAverage1m: one, loadAverage5m: five, cpus: cpus().length }
}

/** @param {BenchContext} ctx */
function keepProfiles(ctx) {
  const profDir = join(ctx.dir, 'prof')
  let file
  try {
    file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  } catch {
    return // the server never ran with --cpu-prof to its end
  }
  if (!file) return
  ctx.results.serverProfile = summarizeProfile(
    JSON.parse(readFileSync(join(profDir, file), 'utf8')),
    20,
  )
  ctx.results.profileFiles = {
    server: join(profDir, file),
    preloadPage: join(ctx.dir, 'preload-page.cpuprofile'),
  }
  console.log(`profiles kept in ${ctx.dir}`)
}

// A phase that timed out is abandoned, not cancelled: its later errors (browser closed, server
// gone) are expected and must not crash the run while it cleans up and writes its results.
process.on('unhandledRejection', (err) => {
  console.error(`bench: ignored a late error: ${/** @type {Error} */ (err)?.message ?? err}`)
})

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
