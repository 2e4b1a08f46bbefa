// @ts-check
/**
 * Fieldline's benchmark suite (issue 9): `npm run bench` (full) or `npm run bench -- --quick`.
 * Headless Chromium (persistent profile, so IndexedDB is on disk) drives the built app through
 * a delaying proxy in front of the real server on a temporary SQLite file. Prints a table and
 * writes bench/results.json. Exits non-zero when the server ends with a wrong count.
 *
 * Options: --quick, --actions N, --rtt MS, --latency-samples N, --offline-starts N,
 * --scale X (pre-load size; 1 = ~10,000 entities), --profile (CPU profiles: server, page),
 * --postgres (also measure serverPush on PostgreSQL; on when DATABASE_URL is set),
 * --push-only (only the serverPush figures: no browser).
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'
import Database from 'better-sqlite3'
import pg from 'pg'
import { insertDataset } from './lib/dataset.mjs'
import { startProxy } from './lib/proxy.mjs'
import { bundleGzip, percentile, round, summarizeProfile } from './lib/util.mjs'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(ROOT, 'bench', '.out')
const ALEX = { email: 'alex@fieldline.test', password: 'fieldline' }
const SAM = { email: 'sam@fieldline.test', password: 'fieldline' }
const JORDAN = { email: 'jordan@fieldline.test', password: 'fieldline' }
/** The device's batch size (protocol/limits.ts MAX_PUSH_BATCH): round trips the replay needs. */
const DRAIN_BATCH = 500
/** Batch size of the server-push measurement. */
const PUSH_BATCH = 200

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2)
/** @param {string} name */
const flag = (name) => argv.includes(`--${name}`)
/** @param {string} name @param {number} fallback */
const num = (name, fallback) => {
  const i = argv.indexOf(`--${name}`)
  const v = i >= 0 ? Number(argv[i + 1]) : Number.NaN
  return Number.isFinite(v) ? v : fallback
}
const quick = flag('quick')
const opts = {
  quick,
  actions: num('actions', quick ? 200 : 500),
  rttMs: num('rtt', 50),
  latencySamples: num('latency-samples', quick ? 60 : 200),
  offlineStarts: num('offline-starts', quick ? 5 : 10),
  scale: num('scale', 1),
  pushBatches: num('push-batches', quick ? 10 : 25),
  photoEvery: num('photo-every', 20),
  profile: flag('profile'),
  // serverPush on PostgreSQL too: a fresh database on the server of DATABASE_URL (or the local
  // one), dropped afterwards. SQLite stays the headline figure.
  postgres: flag('postgres') || /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? ''),
  pushOnly: flag('push-only'),
}
const PG_ADMIN_URL = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? /** @type {string} */ (process.env.DATABASE_URL)
  : 'postgres://postgres@127.0.0.1:5432/postgres'

/** @type {string[]} */
const failures = []
/** @param {string} msg */
const log = (msg) => console.log(`[bench ${((performance.now() - t00) / 1000).toFixed(1)}s] ${msg}`)
const t00 = performance.now()
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/**
 * @param {() => boolean | Promise<boolean>} fn
 * @param {number} timeoutMs
 * @param {string} what
 * @param {number} [everyMs]
 */
async function until(fn, timeoutMs, what, everyMs = 2) {
  const end = performance.now() + timeoutMs
  for (;;) {
    if (await fn()) return performance.now()
    if (performance.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await sleep(everyMs)
  }
}

// ---------------------------------------------------------------- server

/** @param {string} dir @param {string} [databaseUrl] PostgreSQL instead of a SQLite file */
async function startServer(dir, databaseUrl) {
  const file = join(dir, 'db.sqlite')
  const nodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(dir, 'prof')}`] : []
  const { DATABASE_URL: _ignored, ...env } = process.env
  const proc = spawn(process.execPath, [...nodeArgs, 'dist-server/main.js'], {
    cwd: ROOT,
    env: {
      ...env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_FILE: file,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      LOG_LEVEL: '',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const url = await new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000)
    proc.stdout?.on('data', (chunk) => {
      out += chunk.toString()
      const m = /Fieldline is running at (http:\/\/\S+)/.exec(out)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1].replace('localhost', '127.0.0.1'))
      }
    })
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
  proc.stdout?.resume()
  return {
    url: /** @type {string} */ (url),
    file,
    async stop() {
      if (proc.exitCode !== null) return
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGTERM')
      await exited
    },
  }
}

// ---------------------------------------------------------------- bench's own bundles

async function buildBenchBundles() {
  const { build } = await import('vite')
  const common = {
    configFile: /** @type {false} */ (false),
    root: ROOT,
    logLevel: /** @type {'warn'} */ ('warn'),
    define: { 'process.env.NODE_ENV': '"production"' },
  }
  await build({
    ...common,
    build: {
      outDir: OUT,
      emptyOutDir: true,
      target: 'es2022',
      minify: false,
      lib: {
        entry: join(ROOT, 'bench/web/helper.ts'),
        formats: ['es'],
        fileName: () => 'helper.js',
      },
    },
  })
  await build({
    ...common,
    build: {
      outDir: OUT,
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      lib: {
        entry: join(ROOT, 'bench/web/baseline-sw.ts'),
        formats: ['iife'],
        name: 'fieldlineBenchSw',
        fileName: () => 'sw.js',
      },
    },
  })
}

// ---------------------------------------------------------------- page instrumentation

/** Runs first in every page: click times and the first visit row's appearance. */
function instrument() {
  /** @type {any} */
  const w = window
  const b = {
    clicks: /** @type {any[]} */ ([]),
    firstVisit: /** @type {number|null} */ (null),
    arm() {},
  }
  w.__bench = b
  document.addEventListener(
    'click',
    (e) => {
      const t = /** @type {Element} */ (e.target)
      b.clicks.push({
        t: performance.now(),
        testid: t?.closest?.('[data-testid]')?.getAttribute('data-testid') ?? null,
        text: (t?.closest?.('button')?.textContent ?? '').trim(),
      })
    },
    true,
  )
  b.arm = () => {
    b.firstVisit = null
    const mo = new MutationObserver(() => {
      if (document.querySelector('[data-testid="visit"]')) {
        b.firstVisit = performance.now()
        mo.disconnect()
      }
    })
    mo.observe(document, { childList: true, subtree: true })
  }
  b.arm()
}

// ---------------------------------------------------------------- main

async function main() {
  if (opts.pushOnly) return pushOnly()
  const results = /** @type {Record<string, any>} */ ({
    options: opts,
    startedAt: new Date().toISOString(),
  })
  const dir = mkdtempSync(join(tmpdir(), 'fieldline-bench-'))
  log(`building the bench's baseline worker and page helper (${OUT})`)
  await buildBenchBundles()

  const bundle = bundleGzip(join(ROOT, 'dist'))
  results.bundleGzipBytes = bundle.gzipBytes
  results.bundleFiles = bundle.files

  const server = await startServer(dir)
  const proxy = await startProxy({ target: server.url, staticDir: OUT })
  const db = new Database(server.file, { readonly: true, fileMustExist: true })
  log(`server ${server.url}, proxy ${proxy.url}, data ${server.file}`)

  // The big data set goes to Sam (used only by the pre-load), before any browser is up.
  const writer = new Database(server.file)
  writer.pragma('busy_timeout = 5000')
  const dataset = insertDataset(writer, {
    technicianEmail: SAM.email,
    now: new Date(),
    scale: opts.scale,
  })
  writer.close()
  log(`inserted for Sam: ${JSON.stringify(dataset.counts)}`)

  const profileDir = join(dir, 'browser')
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
    baseURL: proxy.url,
  })
  const watchdog = setTimeout(
    () => {
      console.error('bench: watchdog fired, giving up')
      process.exit(2)
    },
    quick ? 170_000 : 600_000,
  )
  try {
    await context.addInitScript(instrument)
    const page = context.pages()[0] ?? (await context.newPage())

    /** @param {{ email: string, password: string }} who */
    const signIn = async (who) => {
      await page.getByLabel('Email').fill(who.email)
      await page.getByLabel('Password').fill(who.password)
      await page.evaluate(() => /** @type {any} */ (window).__bench.arm())
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByTestId('visit').first().waitFor({ timeout: 60_000 })
    }
    const loadHelper = async () => {
      await page.addScriptTag({ url: '/bench-baseline/helper.js', type: 'module' })
      await page.waitForFunction(() => Boolean(window.fieldlineBench))
    }
    /** Notes whose body starts with `prefix` on the server: [rows, distinct bodies]. */
    const serverCount = (/** @type {string} */ prefix, /** @type {number} */ sinceRev) => {
      const row = /** @type {{ n: number, d: number }} */ (
        db
          .prepare(
            'SELECT count(*) AS n, count(DISTINCT body) AS d FROM notes WHERE rev > ? AND body LIKE ?',
          )
          .get(sinceRev, `${prefix}-%`)
      )
      return row
    }
    const currentRev = () =>
      /** @type {{ value: number }} */ (
        db.prepare("SELECT value FROM counters WHERE name = 'rev'").get()
      ).value

    // ------------------------------------------------ sign in (Alex: the demo data set)
    await page.goto('/')
    await signIn(ALEX)
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await until(
      async () => await page.evaluate(() => document.querySelector('.spinning') === null),
      10_000,
      'idle',
      20,
    )
    log('signed in as Alex; service worker controls the page')

    // ------------------------------------------------ offline start
    await context.setOffline(true)
    /** @type {number[]} */
    const starts = []
    for (let i = 0; i < opts.offlineStarts; i++) {
      await page.reload({ waitUntil: 'commit' })
      await page.waitForFunction(
        () => /** @type {any} */ (window).__bench?.firstVisit != null,
        undefined,
        {
          timeout: 20_000,
          polling: 10,
        },
      )
      starts.push(await page.evaluate(() => /** @type {any} */ (window).__bench.firstVisit))
    }
    results.offlineStartMs = round(percentile(starts, 50))
    results.offlineStart = {
      samples: starts.map((s) => round(s)),
      medianMs: results.offlineStartMs,
      note: 'navigation start → first data-testid="visit" element in the DOM, network off, SW + IndexedDB',
    }
    log(
      `offline start: median ${results.offlineStartMs} ms of ${starts.map((s) => Math.round(s)).join(', ')}`,
    )
    await context.setOffline(false)
    await page.reload()
    await page.getByTestId('visit').first().waitFor()
    await loadHelper()
    await sleep(500)

    // ------------------------------------------------ replay: our outbox
    const runId = Date.now().toString(36)
    const replayPrefix = `bench-replay-${runId}`
    await context.setOffline(true)
    await page.waitForFunction(() => !navigator.onLine)
    const queued = await page.evaluate(
      ([prefix, n]) => /** @type {any} */ (window).fieldlineBench.queueNotes(prefix, n),
      /** @type {[string, number]} */ ([replayPrefix, opts.actions]),
    )
    log(`queued ${queued.queued} notes offline through perform() in ${Math.round(queued.ms)} ms`)
    await sleep(1000)
    const drainSteps = await page.evaluate(() =>
      /** @type {any} */ (window).fieldlineBench.drainSteps(),
    )
    log(`device-side drain steps before the first push: ${JSON.stringify(drainSteps)}`)
    await sleep(500)
    const revBefore = currentRev()
    proxy.setDelay(opts.rttMs)
    const t0 = performance.now()
    await context.setOffline(false)
    const tServer = await until(
      () => serverCount(replayPrefix, revBefore).n >= opts.actions,
      60_000,
      'the replay',
    )
    const tDevice = await until(
      async () =>
        (await page.evaluate(() => /** @type {any} */ (window).fieldlineBench.outboxCount())) === 0,
      30_000,
      'the outbox to empty',
      10,
    )
    await sleep(300)
    const replayLog = proxy.since(t0).filter((r) => r.start <= tServer)
    const replayCount = serverCount(replayPrefix, revBefore)
    proxy.setDelay(0)
    const pushes = Math.ceil(opts.actions / DRAIN_BATCH)
    results.replay = {
      actions: opts.actions,
      rttMs: opts.rttMs,
      ms: round(tServer - t0),
      requests: replayLog.filter((r) => r.path.startsWith('/api/sync/push')).length,
      allRequests: replayLog.length,
      requestPaths: replayLog.map(
        (r) => `${r.method} ${r.path.split('?')[0]} ${round(r.start - t0)}→${round(r.end - t0)}`,
      ),
      deviceDoneMs: round(tDevice - t0),
      drainStepsMs: drainSteps,
      queueMs: round(queued.ms),
      boundMs: pushes * opts.rttMs,
      serverCount: replayCount.n,
      serverDistinct: replayCount.d,
    }
    if (replayCount.n !== opts.actions || replayCount.d !== opts.actions) {
      failures.push(
        `replay: server holds ${replayCount.n} notes (${replayCount.d} distinct), expected ${opts.actions}`,
      )
    }
    log(
      `replay: ${results.replay.ms} ms, ${results.replay.requests} pushes (${replayLog.length} requests), device done at ${results.replay.deviceDoneMs} ms`,
    )

    // ------------------------------------------------ replay: workbox-background-sync baseline
    const basePage = await context.newPage()
    await basePage.goto('/bench-baseline/')
    await basePage.evaluate(async () => {
      const reg = await navigator.serviceWorker.register('/bench-baseline/sw.js', {
        scope: '/bench-baseline/',
      })
      for (let i = 0; i < 200 && !reg.active; i++) await new Promise((r) => setTimeout(r, 25))
      if (!reg.active) throw new Error('baseline worker did not activate')
    })
    const basePrefix = `bench-baseline-${runId}`
    const baseDevice = randomUUID()
    const at = new Date().toISOString()
    const mutations = Array.from({ length: opts.actions }, (_, i) => ({
      id: randomUUID(),
      seq: i + 1,
      name: 'note.add',
      args: { id: randomUUID(), jobId: queued.jobId, body: `${basePrefix}-${i}`, createdAt: at },
      at,
    }))
    await context.setOffline(true)
    await basePage.waitForFunction(() => !navigator.onLine)
    const baseQueued = await basePage.evaluate(
      async ([deviceId, list]) => {
        const reg = await navigator.serviceWorker.getRegistration('/bench-baseline/')
        const channel = new MessageChannel()
        const answer = new Promise((resolve) => {
          channel.port1.onmessage = (e) => resolve(e.data)
        })
        reg?.active?.postMessage({ type: 'enqueue', deviceId, mutations: list }, [channel.port2])
        return answer
      },
      /** @type {[string, typeof mutations]} */ ([baseDevice, mutations]),
    )
    if (!(/** @type {any} */ (baseQueued).ok))
      throw new Error(`baseline enqueue: ${JSON.stringify(baseQueued)}`)
    await sleep(1000)
    const baseRevBefore = currentRev()
    proxy.setDelay(opts.rttMs)
    const b0 = performance.now()
    await context.setOffline(false)
    // The queue's own `sync` event starts it; nudge only if no push has arrived after 3 s.
    let fallbackUsed = false
    const nudge = setTimeout(() => {
      if (proxy.since(b0).some((r) => r.path.startsWith('/api/sync/push'))) return
      fallbackUsed = true
      void basePage.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration('/bench-baseline/')
        reg?.active?.postMessage({ type: 'replay' }, [new MessageChannel().port2])
      })
    }, 3_000)
    const bServer = await until(
      () => serverCount(basePrefix, baseRevBefore).n >= opts.actions,
      opts.actions * (opts.rttMs + 60) * 3 + 30_000,
      'the baseline replay',
      5,
    )
    clearTimeout(nudge)
    await sleep(300)
    const baseLog = proxy.since(b0).filter((r) => r.start <= bServer)
    const baseCount = serverCount(basePrefix, baseRevBefore)
    proxy.setDelay(0)
    await basePage.close()
    Object.assign(results.replay, {
      baselineMs: round(bServer - b0),
      baselineRequests: baseLog.filter((r) => r.path.startsWith('/api/sync/push')).length,
      baselineAllRequests: baseLog.length,
      baselineFallbackUsed: fallbackUsed,
      baselineServerCount: baseCount.n,
    })
    results.replay.ratio = round(results.replay.baselineMs / results.replay.ms)
    if (baseCount.n !== opts.actions || baseCount.d !== opts.actions) {
      failures.push(
        `baseline: server holds ${baseCount.n} notes (${baseCount.d} distinct), expected ${opts.actions}`,
      )
    }
    log(
      `baseline: ${results.replay.baselineMs} ms, ${results.replay.baselineRequests} pushes; ratio ${results.replay.ratio}`,
    )

    // Photos: only if the app has a photo action to queue.
    const mutationSource = readFileSync(join(ROOT, 'protocol/mutations.ts'), 'utf8')
    results.replayWithPhotos = /['"](photo|attachment)\.add['"]/.test(mutationSource)
      ? {
          supported: true,
          note: 'the app has a photo action: extend queueNotes with photoEvery (hook)',
        }
      : {
          supported: false,
          note: `no photo/attachment action in protocol/mutations.ts; hook: --photo-every ${opts.photoEvery}`,
        }

    // ------------------------------------------------ action latency (offline, through the UI)
    // A different job from the replay's (that one now holds 2 × actions notes): today's first.
    const dayStart = new Date(new Date().setHours(0, 0, 0, 0))
    const latencyJob = /** @type {{ id: string }} */ (
      db
        .prepare(
          `SELECT j.id FROM jobs j JOIN users u ON u.id = j.technician_id JOIN appointments a ON a.job_id = j.id
           WHERE u.email = ? AND a.starts_at >= ? AND a.starts_at < ? AND j.id <> ? ORDER BY a.starts_at LIMIT 1`,
        )
        .get(
          ALEX.email,
          dayStart.toISOString(),
          new Date(dayStart.getTime() + 86_400_000).toISOString(),
          queued.jobId,
        )
    )
    await page.goto(`/#/job/${encodeURIComponent(latencyJob.id)}`)
    await page.getByPlaceholder('Add a note…').waitFor()
    await context.setOffline(true)
    await page.waitForFunction(() => !navigator.onLine)
    await sleep(300)
    const latencyPrefix = `bench-latency-${runId}`
    const latencyRev = currentRev()
    const lat = await page.evaluate(
      async ([prefix, n, userId]) => {
        const ta = /** @type {HTMLTextAreaElement} */ (
          document.querySelector('textarea[placeholder="Add a note…"]')
        )
        const form = /** @type {HTMLFormElement} */ (ta.closest('form'))
        const card = /** @type {HTMLElement} */ (form.closest('section'))
        const button = /** @type {HTMLButtonElement} */ (
          form.querySelector('button[type="submit"]')
        )
        const open = indexedDB.open(`fieldline-user-${userId}`)
        /** @type {IDBDatabase} */
        const idb = await new Promise((res, rej) => {
          open.onsuccess = () => res(open.result)
          open.onerror = () => rej(open.error)
        })
        /** The newest outbox entry's note body (durable = committed and readable). */
        const lastQueued = () =>
          new Promise((res) => {
            const c = idb.transaction('outbox').objectStore('outbox').openCursor(null, 'prev')
            c.onsuccess = () => res(c.result ? c.result.value.args.body : null)
          })
        const samples = []
        const frames = []
        let missing = 0
        for (let i = 0; i < n; i++) {
          const body = `${prefix}-${i}`
          ta.value = body
          ta.dispatchEvent(new Event('input', { bubbles: true }))
          for (let k = 0; k < 100 && button.disabled; k++)
            await new Promise((r) => setTimeout(r, 1))
          await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
          /** @type {Promise<number>} */
          const seen = new Promise((resolve) => {
            const check = () => {
              const first = card.querySelector('[data-testid="note"] .note-body')
              return first?.textContent === body
            }
            const mo = new MutationObserver(() => {
              if (check()) {
                mo.disconnect()
                resolve(performance.now())
              }
            })
            mo.observe(card, { childList: true, subtree: true, characterData: true })
          })
          const t0 = performance.now()
          button.click()
          const t1 = await seen
          const t2 = await new Promise((r) => requestAnimationFrame(() => r(performance.now())))
          samples.push(t1 - t0)
          frames.push(/** @type {number} */ (t2) - t0)
          if ((await lastQueued()) !== body) missing++
          await new Promise((r) => setTimeout(r, 30)) // a (very) fast technician's pace
        }
        idb.close()
        return { samples, frames, missing }
      },
      /** @type {[string, number, string]} */ ([latencyPrefix, opts.latencySamples, queued.userId]),
    )
    const floorSamples = await page.evaluate(
      ([n, jobId]) => /** @type {any} */ (window).fieldlineBench.floorAction(n, jobId),
      /** @type {[number, string]} */ ([opts.latencySamples, queued.jobId]),
    )
    const tenth = Math.max(1, Math.floor(lat.samples.length / 10))
    results.actionLatency = {
      samples: lat.samples.length,
      p50Ms: round(percentile(lat.samples, 50)),
      p95Ms: round(percentile(lat.samples, 95)),
      maxMs: round(Math.max(...lat.samples)),
      p95NextFrameMs: round(percentile(lat.frames, 95)),
      firstTenthP50Ms: round(percentile(lat.samples.slice(0, tenth), 50)),
      lastTenthP50Ms: round(percentile(lat.samples.slice(-tenth), 50)),
      floorP50Ms: round(percentile(floorSamples, 50)),
      floorP95Ms: round(percentile(floorSamples, 95)),
      notDurableAtVisible: lat.missing,
    }
    if (lat.missing > 0)
      failures.push(`action latency: ${lat.missing} notes visible before their outbox entry`)
    log(`action latency: ${JSON.stringify(results.actionLatency)}`)

    // Upload them (a second exactly-once check), with no added delay.
    await context.setOffline(false)
    await until(
      () => serverCount(latencyPrefix, latencyRev).n >= opts.latencySamples,
      60_000,
      'latency notes upload',
      20,
    )
    await until(
      async () =>
        (await page.evaluate(() => /** @type {any} */ (window).fieldlineBench.outboxCount())) === 0,
      30_000,
      'the outbox to empty',
      20,
    )
    await sleep(500)
    const latCount = serverCount(latencyPrefix, latencyRev)
    if (latCount.n !== opts.latencySamples || latCount.d !== opts.latencySamples) {
      failures.push(
        `action latency upload: server holds ${latCount.n} (${latCount.d} distinct), expected ${opts.latencySamples}`,
      )
    }

    // ------------------------------------------------ pre-load (Sam: the big data set)
    await page.goto('/#/settings')
    await page.getByTestId('sign-out').click()
    await page.getByLabel('Email').waitFor()
    await sleep(500)
    const cdp = opts.profile ? await context.newCDPSession(page) : null
    if (cdp) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
      await cdp.send('Profiler.start')
    }
    const p0 = performance.now()
    await signIn(SAM)
    const pre = await page.evaluate(() => {
      const b = /** @type {any} */ (window).__bench
      const click = b.clicks.filter((/** @type {any} */ c) => c.text === 'Sign in').at(-1)
      const entries = /** @type {PerformanceResourceTiming[]} */ (
        performance.getEntriesByType('resource')
      )
      const after = entries.filter((e) => e.startTime >= click.t)
      const pull = after.find((e) => e.name.includes('/api/sync/pull'))
      const signin = after.find((e) => e.name.includes('/api/auth/signin'))
      return {
        ms: b.firstVisit - click.t,
        signin: signin && { start: signin.startTime - click.t, end: signin.responseEnd - click.t },
        pull: pull && {
          start: pull.startTime - click.t,
          firstByte: pull.responseStart - click.t,
          end: pull.responseEnd - click.t,
        },
      }
    })
    let pageProfile = null
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop')
      pageProfile = summarizeProfile(/** @type {any} */ (profile), 15)
      writeFileSync(join(dir, 'preload-page.cpuprofile'), JSON.stringify(profile))
    }
    await loadHelperIfMissing(page)
    const lastPullAt = await page.evaluate(() =>
      /** @type {any} */ (window).fieldlineBench.getMeta('lastPullAt'),
    )
    if (!lastPullAt) failures.push('pre-load: no lastPullAt after the first pull')
    const preLog = proxy.since(p0).filter((r) => r.path.startsWith('/api/sync/pull'))
    await until(
      async () => await page.evaluate(() => document.querySelector('.spinning') === null),
      30_000,
      'idle',
      20,
    )
    await sleep(1000)

    // No-change refresh.
    const r0 = performance.now()
    const pullDone = page.waitForResponse((res) => res.url().includes('/api/sync/pull'))
    await page.getByTestId('refresh').first().click()
    await (await pullDone).finished()
    await until(
      async () => await page.evaluate(() => document.querySelector('.spinning') === null),
      10_000,
      'idle',
      5,
    )
    const refresh = await page.evaluate(() => {
      const b = /** @type {any} */ (window).__bench
      const click = b.clicks.filter((/** @type {any} */ c) => c.testid === 'refresh').at(-1)
      const entries = /** @type {PerformanceResourceTiming[]} */ (
        performance.getEntriesByType('resource')
      )
      const pull = entries
        .filter((e) => e.name.includes('/api/sync/pull') && e.startTime >= click.t)
        .at(-1)
      return {
        ms: pull ? pull.responseEnd - click.t : Number.NaN,
        start: pull ? pull.startTime - click.t : Number.NaN,
      }
    })
    const refreshLog = proxy.since(r0).filter((r) => r.path.startsWith('/api/sync/pull'))
    const floor = await page.evaluate(() =>
      /** @type {any} */ (window).fieldlineBench.floorPreload(),
    )
    results.preload = {
      entities: floor.rows,
      datasetInserted: dataset.counts,
      bytes: preLog.reduce((n, r) => n + r.bytes, 0),
      ms: round(pre.ms),
      floorMs: round(floor.ms),
      refreshMs: round(refresh.ms),
      refreshBytes: refreshLog.reduce((n, r) => n + r.bytes, 0),
      breakdown: {
        signinRequest: pre.signin && [round(pre.signin.start), round(pre.signin.end)],
        pullRequestStart: pre.pull && round(pre.pull.start),
        pullFirstByte: pre.pull && round(pre.pull.firstByte),
        pullResponseEnd: pre.pull && round(pre.pull.end),
        afterResponseToVisible: pre.pull && round(pre.ms - pre.pull.end),
        floorFetchMs: round(floor.fetchMs),
        floorParseMs: round(floor.parseMs),
        refreshRequestStart: round(refresh.start),
      },
      pullRequests: preLog.length,
      pageProfile,
    }
    log(`pre-load: ${JSON.stringify({ ...results.preload, pageProfile: undefined })}`)
  } catch (err) {
    clearTimeout(watchdog)
    await context.close().catch(() => {})
    await proxy.close()
    db.close()
    await server.stop()
    throw err
  }
  clearTimeout(watchdog)
  await context.close()
  await proxy.close()
  // ------------------------------------------------ server push throughput (SQLite)
  // After the browser is gone, so the two cores are the server's and this process's.
  results.serverPush = await serverPush(server.url, sqliteQueries(db))
  log(`server push: ${JSON.stringify(results.serverPush)}`)
  db.close()
  await server.stop()
  if (opts.postgres) {
    results.serverPushPostgres = await serverPushOnPostgres(dir)
    log(`server push (PostgreSQL): ${JSON.stringify(results.serverPushPostgres)}`)
  }

  if (opts.profile) {
    const { readdirSync } = await import('node:fs')
    const profDir = join(dir, 'prof')
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
    if (file) {
      results.serverProfile = summarizeProfile(
        JSON.parse(readFileSync(join(profDir, file), 'utf8')),
        20,
      )
      results.profileFiles = {
        server: join(profDir, file),
        preloadPage: join(dir, 'preload-page.cpuprofile'),
      }
    }
  }
  results.failures = failures
  results.finishedAt = new Date().toISOString()
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  printTable(results)
  if (!opts.profile) rmSync(dir, { recursive: true, force: true })
  else console.log(`profiles kept in ${dir}`)
  if (failures.length > 0) {
    console.error(`\nBENCH FAILED:\n  ${failures.join('\n  ')}`)
    process.exit(1)
  }
}

/** @param {import('playwright-core').Page} page */
async function loadHelperIfMissing(page) {
  if (await page.evaluate(() => Boolean(window.fieldlineBench))) return
  await page.addScriptTag({ url: '/bench-baseline/helper.js', type: 'module' })
  await page.waitForFunction(() => Boolean(window.fieldlineBench))
}

/**
 * What serverPush reads from the server's database, whichever it is.
 * @typedef {{ store: 'sqlite' | 'postgres', jobOf(email: string): Promise<string>, countNotes(prefix: string): Promise<number> }} PushQueries
 */

/** @param {import('better-sqlite3').Database} db @returns {PushQueries} */
function sqliteQueries(db) {
  return {
    store: 'sqlite',
    async jobOf(email) {
      const row = /** @type {{ id: string }} */ (
        db
          .prepare(
            'SELECT j.id FROM jobs j JOIN users u ON u.id = j.technician_id WHERE u.email = ? LIMIT 1',
          )
          .get(email)
      )
      return row.id
    },
    async countNotes(prefix) {
      const row = /** @type {{ n: number }} */ (
        db.prepare('SELECT count(*) AS n FROM notes WHERE body LIKE ?').get(`${prefix}%`)
      )
      return row.n
    },
  }
}

/** @param {pg.Client} client @returns {PushQueries} */
function postgresQueries(client) {
  return {
    store: 'postgres',
    async jobOf(email) {
      const { rows } = await client.query(
        'SELECT j.id FROM jobs j JOIN users u ON u.id = j.technician_id WHERE u.email = $1 LIMIT 1',
        [email],
      )
      return rows[0].id
    },
    async countNotes(prefix) {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM notes WHERE body LIKE $1',
        [`${prefix}%`],
      )
      return rows[0].n
    },
  }
}

/**
 * serverPush against the built server on PostgreSQL: a fresh database (created on the server
 * of DATABASE_URL, or the local one, and dropped afterwards), seeded by the server at start.
 * @param {string} dir
 */
async function serverPushOnPostgres(dir) {
  const name = `fieldline_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  const server = await startServer(dir, url.toString())
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    return await serverPush(server.url, postgresQueries(client))
  } finally {
    await client.end()
    await server.stop()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}

/** `--push-only`: the serverPush figures alone (SQLite, and PostgreSQL with --postgres). */
async function pushOnly() {
  const dir = mkdtempSync(join(tmpdir(), 'fieldline-bench-'))
  /** @type {Record<string, any>} */
  const results = { options: opts, startedAt: new Date().toISOString() }
  const server = await startServer(dir)
  const db = new Database(server.file, { readonly: true, fileMustExist: true })
  try {
    results.serverPush = await serverPush(server.url, sqliteQueries(db))
  } finally {
    db.close()
    await server.stop()
  }
  log(`server push (SQLite): ${JSON.stringify(results.serverPush)}`)
  if (opts.postgres) {
    results.serverPushPostgres = await serverPushOnPostgres(dir)
    log(`server push (PostgreSQL): ${JSON.stringify(results.serverPushPostgres)}`)
  }
  rmSync(dir, { recursive: true, force: true })
  if (failures.length > 0) {
    console.error(`\nBENCH FAILED:\n  ${failures.join('\n  ')}`)
    process.exit(1)
  }
}

/**
 * Mutations per second through the whole HTTP stack (JSON, validation, one database transaction
 * per batch of 200), straight to the server on loopback, Jordan's notes on one of his jobs.
 * @param {string} url @param {PushQueries} queries
 */
async function serverPush(url, queries) {
  const res = await fetch(`${url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(JORDAN),
  })
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const job = { id: await queries.jobOf(JORDAN.email) }
  const deviceId = randomUUID()
  let seq = 0
  const at = new Date().toISOString()
  const bodies = Array.from({ length: opts.pushBatches }, () =>
    JSON.stringify({
      deviceId,
      mutations: Array.from({ length: PUSH_BATCH }, () => {
        seq++
        return {
          id: randomUUID(),
          seq,
          name: 'note.add',
          args: { id: randomUUID(), jobId: job.id, body: `bench-push-${seq}`, createdAt: at },
          at,
        }
      }),
    }),
  )
  /** @type {number[]} */
  const perBatch = []
  const started = performance.now()
  for (const body of bodies) {
    const t = performance.now()
    const r = await fetch(`${url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    })
    const answer = /** @type {{ results: Array<{ status: string }> }} */ (await r.json())
    if (!r.ok || answer.results.some((x) => x.status !== 'applied')) {
      failures.push(
        `server push: batch answered ${r.status} ${JSON.stringify(answer).slice(0, 200)}`,
      )
    }
    perBatch.push(performance.now() - t)
  }
  const seconds = (performance.now() - started) / 1000
  const applied = await queries.countNotes('bench-push-')
  if (applied !== seq) {
    failures.push(`server push (${queries.store}): server holds ${applied} notes, expected ${seq}`)
  }
  return {
    store: queries.store,
    mutationsPerSec: Math.round(seq / seconds),
    mutations: seq,
    batchP50Ms: round(percentile(perBatch, 50)),
    batchMaxMs: round(Math.max(...perBatch)),
  }
}

/** @param {Record<string, any>} r */
function printTable(r) {
  const rp = r.replay ?? {}
  const pl = r.preload ?? {}
  const al = r.actionLatency ?? {}
  const sp = r.serverPush ?? {}
  const spg = r.serverPushPostgres
  /** @type {Array<[string, string, string, boolean | null]>} */
  const rows = [
    [
      `replay ${rp.actions} notes @ ${rp.rttMs} ms RTT`,
      `${rp.ms} ms, ${rp.requests} pushes (${rp.allRequests} req)`,
      `≤ ${round(1.5 * rp.boundMs + 300)} ms (1.5×${rp.boundMs}+300)`,
      rp.ms <= 1.5 * rp.boundMs + 300,
    ],
    [
      '  baseline (workbox Queue, 1 POST each)',
      `${rp.baselineMs} ms, ${rp.baselineRequests} pushes`,
      '',
      null,
    ],
    ['  ratio baseline / ours', `${rp.ratio}×`, '≥ 50×', rp.ratio >= 50],
    [
      `pre-load ${pl.entities} entities, ${Math.round((pl.bytes ?? 0) / 1024)} KB`,
      `${pl.ms} ms (floor ${pl.floorMs} ms = ${round(pl.ms / pl.floorMs, 2)}×)`,
      `≤ ${round(1.3 * pl.floorMs)} ms (1.3× floor)`,
      pl.ms <= 1.3 * pl.floorMs,
    ],
    [
      'no-change refresh',
      `${pl.refreshMs} ms, ${pl.refreshBytes} B`,
      '≤ 150 ms, ≤ 2048 B',
      pl.refreshMs <= 150 && pl.refreshBytes <= 2048,
    ],
    [
      `action latency (${al.samples} notes, offline, UI)`,
      `p50 ${al.p50Ms} ms, p95 ${al.p95Ms} ms (floor p95 ${al.floorP95Ms})`,
      'p95 ≤ 16 ms',
      al.p95Ms <= 16,
    ],
    ['offline start (median)', `${r.offlineStartMs} ms`, '≤ 400 ms', r.offlineStartMs <= 400],
    [
      'first-screen JS+CSS gzip',
      `${round((r.bundleGzipBytes ?? 0) / 1024)} KB`,
      '≤ 60 KB',
      r.bundleGzipBytes <= 60 * 1024,
    ],
    [
      `server push (${sp.store})`,
      `${sp.mutationsPerSec} mutations/s`,
      '≥ 5,000/s',
      sp.mutationsPerSec >= 5000,
    ],
    ...(spg
      ? [
          /** @type {[string, string, string, boolean | null]} */ ([
            `server push (${spg.store})`,
            `${spg.mutationsPerSec} mutations/s`,
            '',
            null,
          ]),
        ]
      : []),
  ]
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => String(row[i]).length)))
  console.log('')
  for (const [a, b, c, ok] of rows) {
    const mark = ok === null ? '' : ok ? 'met' : 'NOT met'
    console.log(
      `${a.padEnd(w[0] ?? 0)} | ${b.padEnd(w[1] ?? 0)} | ${c.padEnd(w[2] ?? 0)} | ${mark}`,
    )
  }
  console.log('\nwritten: bench/results.json')
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
