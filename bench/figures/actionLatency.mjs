// @ts-check
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadHelper } from '../lib/browser.mjs'
import { ALEX } from '../lib/options.mjs'
import { sleep } from '../lib/phases.mjs'
import { percentile, round, summarizeProfile } from '../lib/util.mjs'

/**
 * Tap → durable + visible, offline, through the UI, on today's first job (not the replay's).
 * Each sample sets the textarea, clicks Save note and stops when a MutationObserver sees the new
 * note at the top of the list; the newest outbox row is then checked (no note may be visible
 * before its outbox row is committed). A sample that never shows within 5 s counts as lost, so
 * one stuck note cannot hang the run. Then the notes upload (a second exactly-once check).
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function actionLatency(ctx) {
  const { context, page } = ctx.browser()
  const { opts } = ctx
  const replayJob = /** @type {string} */ (ctx.state.replayJobId ?? '')
  const dayStart = new Date(new Date().setHours(0, 0, 0, 0))
  const job = /** @type {{ id: string }} */ (
    ctx.db
      .prepare(
        `SELECT j.id FROM jobs j JOIN users u ON u.id = j.technician_id JOIN appointments a ON a.job_id = j.id
         WHERE u.email = ? AND a.starts_at >= ? AND a.starts_at < ? AND j.id <> ? ORDER BY a.starts_at LIMIT 1`,
      )
      .get(
        ALEX.email,
        dayStart.toISOString(),
        new Date(dayStart.getTime() + 86_400_000).toISOString(),
        replayJob,
      )
  )
  ctx.waitFor('the job screen with its note form')
  await page.goto(`/#/job/${encodeURIComponent(job.id)}`)
  await page.getByPlaceholder('Add a note…').waitFor()
  // For the floor; loaded by the replay in a full run, not with `--only actionLatency`.
  await loadHelper(page)
  await context.setOffline(true)
  await page.waitForFunction(() => !navigator.onLine)
  await sleep(300)
  const prefix = `bench-latency-${ctx.runId}`
  const rev = ctx.currentRev()
  const userId = /** @type {string} */ (
    ctx.state.userId ??
      /** @type {{ id: string }} */ (
        ctx.db.prepare('SELECT id FROM users WHERE email = ?').get(ALEX.email)
      ).id
  )
  ctx.waitFor(`${opts.latencySamples} notes saved through the UI`)
  // --profile: the page's CPU profile over the samples (what a save spends its time on).
  const cdp = opts.profile ? await context.newCDPSession(page) : null
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
    await cdp.send('Profiler.start')
  }
  const lat = await page.evaluate(
    measureInPage,
    /** @type {[string, number, string]} */ ([prefix, opts.latencySamples, userId]),
  )
  let pageProfile = null
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop')
    pageProfile = summarizeProfile(/** @type {any} */ (profile), 20)
    writeFileSync(join(ctx.dir, 'latency-page.cpuprofile'), JSON.stringify(profile))
    await cdp.detach()
  }
  ctx.waitFor('the raw-IndexedDB floor')
  const floor = await page.evaluate(
    ([n, jobId]) => /** @type {any} */ (window).fieldlineBench.floorAction(n, jobId),
    /** @type {[number, string]} */ ([opts.latencySamples, job.id]),
  )
  const tenth = Math.max(1, Math.floor(lat.samples.length / 10))
  ctx.results.actionLatency = {
    samples: lat.samples.length,
    p50Ms: round(percentile(lat.samples, 50)),
    p95Ms: round(percentile(lat.samples, 95)),
    maxMs: round(Math.max(...lat.samples)),
    p95NextFrameMs: round(percentile(lat.frames, 95)),
    firstTenthP50Ms: round(percentile(lat.samples.slice(0, tenth), 50)),
    lastTenthP50Ms: round(percentile(lat.samples.slice(-tenth), 50)),
    floorP50Ms: round(percentile(floor, 50)),
    floorP95Ms: round(percentile(floor, 95)),
    notDurableAtVisible: lat.missing,
    lost: lat.lost,
    ...(pageProfile && { pageProfile }),
  }
  if (lat.missing > 0)
    ctx.failures.push(`action latency: ${lat.missing} notes visible before their outbox entry`)
  if (lat.lost > 0) ctx.failures.push(`action latency: ${lat.lost} notes never showed within 5 s`)
  ctx.log(`action latency: ${JSON.stringify(ctx.results.actionLatency)}`)

  await context.setOffline(false)
  const expected = opts.latencySamples - lat.lost
  await ctx.until(
    () => ctx.serverCount(prefix, rev).n >= expected,
    60_000,
    `the server to hold the ${expected} latency notes`,
    20,
  )
  await ctx.until(
    async () =>
      (await page.evaluate(() => /** @type {any} */ (window).fieldlineBench.outboxCount())) === 0,
    30_000,
    'the outbox to empty after the latency notes',
    20,
  )
  await sleep(500)
  const count = ctx.serverCount(prefix, rev)
  if (count.n !== expected || count.d !== expected) {
    ctx.failures.push(
      `action latency upload: server holds ${count.n} (${count.d} distinct), expected ${expected}`,
    )
  }
}

/** Runs in the page. @param {[string, number, string]} args */
async function measureInPage([prefix, n, userId]) {
  const ta = /** @type {HTMLTextAreaElement} */ (
    document.querySelector('textarea[placeholder="Add a note…"]')
  )
  const form = /** @type {HTMLFormElement} */ (ta.closest('form'))
  const card = /** @type {HTMLElement} */ (form.closest('section'))
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'))
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
  let lost = 0
  for (let i = 0; i < n; i++) {
    const body = `${prefix}-${i}`
    ta.value = body
    ta.dispatchEvent(new Event('input', { bubbles: true }))
    for (let k = 0; k < 100 && button.disabled; k++) await new Promise((r) => setTimeout(r, 1))
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))
    /** @type {Promise<number | null>} */
    const seen = new Promise((resolve) => {
      const check = () =>
        card.querySelector('[data-testid="note"] .note-body')?.textContent === body
      const mo = new MutationObserver(() => {
        if (check()) {
          mo.disconnect()
          resolve(performance.now())
        }
      })
      mo.observe(card, { childList: true, subtree: true, characterData: true })
      setTimeout(() => {
        mo.disconnect()
        resolve(null)
      }, 5_000)
    })
    const t0 = performance.now()
    button.click()
    const t1 = await seen
    if (t1 === null) {
      lost++
      continue
    }
    const t2 = await new Promise((r) => requestAnimationFrame(() => r(performance.now())))
    samples.push(t1 - t0)
    frames.push(/** @type {number} */ (t2) - t0)
    if ((await lastQueued()) !== body) missing++
    await new Promise((r) => setTimeout(r, 30)) // a (very) fast technician's pace
  }
  idb.close()
  return { samples, frames, missing, lost }
}
