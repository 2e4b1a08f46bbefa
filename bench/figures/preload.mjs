// @ts-check
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { idle, loadHelper, signIn } from '../lib/browser.mjs'
import { SAM } from '../lib/options.mjs'
import { sleep } from '../lib/phases.mjs'
import { round, summarizeProfile } from '../lib/util.mjs'

/**
 * Pre-load: Alex signs out, Sam (the big data set, dataset.mjs) signs in. `ms` runs from the Sign
 * in click to the first visit on screen; `allWrittenMs` to the last page written (lastPullAt,
 * which each page's transaction stamps, once it is later than the last response; ms precision;
 * stamped inside the transaction, so its commit is a little later than the figure). `floorMs` is the same rows
 * `put` in one readwrite transaction of a fresh IndexedDB with the same indexes, same profile.
 * The no-change refresh is its own phase (refresh, below).
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function preload(ctx) {
  const { context, page } = ctx.browser()
  const { proxy, opts } = ctx
  ctx.waitFor('sign-out')
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
  await signIn(page, SAM, ctx.waitFor)
  const pre = await page.evaluate(() => {
    const b = /** @type {any} */ (window).__bench
    const click = b.clicks.filter((/** @type {any} */ c) => c.text === 'Sign in').at(-1)
    const entries = /** @type {PerformanceResourceTiming[]} */ (
      performance.getEntriesByType('resource')
    ).filter((e) => e.startTime >= click.t)
    const pulls = entries.filter((e) => e.name.includes('/api/sync/pull'))
    const signin = entries.find((e) => e.name.includes('/api/auth/signin'))
    return {
      ms: b.firstVisit - click.t,
      clickEpochMs: performance.timeOrigin + click.t,
      signin: signin && { start: signin.startTime - click.t, end: signin.responseEnd - click.t },
      pulls: pulls.map((p) => ({
        start: p.startTime - click.t,
        firstByte: p.responseStart - click.t,
        end: p.responseEnd - click.t,
      })),
    }
  })
  ctx.waitFor('the last pull page to be written (lastPullAt)')
  await loadHelper(page)
  const pulled = { at: /** @type {string | null} */ (null) }
  await ctx.until(
    async () => {
      // Each page's transaction stamps lastPullAt. The device asks for page n+1 before writing
      // page n, so once the newest pull response at the proxy is complete and lastPullAt is
      // later than its end, that response was the last page and it is written.
      const last = proxy
        .since(p0)
        .filter((r) => r.path.startsWith('/api/sync/pull'))
        .at(-1)
      if (!last || last.end === 0) return false
      pulled.at = await page.evaluate(() =>
        /** @type {any} */ (window).fieldlineBench.getMeta('lastPullAt'),
      )
      return Boolean(pulled.at) && Date.parse(pulled.at ?? '') >= performance.timeOrigin + last.end
    },
    60_000,
    'the last pull page to be written (lastPullAt after the last response)',
    20,
  )
  let pageProfile = null
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop')
    pageProfile = summarizeProfile(/** @type {any} */ (profile), 15)
    writeFileSync(join(ctx.dir, 'preload-page.cpuprofile'), JSON.stringify(profile))
  }
  const preLog = proxy.since(p0).filter((r) => r.path.startsWith('/api/sync/pull'))
  await ctx.until(
    () => idle(page),
    60_000,
    'the sync spinner to stop after the pre-load (photos too)',
    50,
  )
  await sleep(1000)

  ctx.waitFor('the raw-IndexedDB floor (every pull page fetched again, then put)')
  const floor = await page.evaluate(() => /** @type {any} */ (window).fieldlineBench.floorPreload())
  let variants = null
  if (opts.preloadVariants) {
    // Diagnosis (--preload-variants): the same pages written raw in one transaction, raw one per
    // page, by applyPull, by applyPull with every table put at once, and by applyPull while the
    // server serves the pages again; ms, three rounds each. In results.preload.variants.
    ctx.waitFor('the pre-load write variants (three rounds)')
    variants = await page.evaluate(() =>
      /** @type {any} */ (window).fieldlineBench.preloadVariants(),
    )
    ctx.log(`pre-load write variants (ms): ${JSON.stringify(variants)}`)
  }
  const allWrittenMs = Date.parse(pulled.at ?? '') - pre.clickEpochMs
  // Pull pages as the proxy saw them (the page's Resource Timing buffer can be full by then and
  // drop entries), relative to the sign-in request there, which is within a few ms of the click.
  const signinAt = proxy.since(p0).find((r) => r.path.startsWith('/api/auth/signin'))?.start ?? p0
  const pagesAtProxy = preLog.map((r) => [round(r.start - signinAt), round(r.end - signinAt)])
  const lastPull = { end: (preLog.at(-1)?.end ?? Number.NaN) - signinAt }
  ctx.results.preload = {
    entities: floor.rows,
    datasetInserted: ctx.state.dataset?.counts,
    datasetLineItems: ctx.state.dataset?.lineItems,
    // On the wire (compressed, as the proxy saw it), and the JSON text it decoded to.
    bytes: preLog.reduce((n, r) => n + r.bytes, 0),
    jsonBytes: floor.bytes,
    ms: round(pre.ms),
    allWrittenMs: round(allWrittenMs),
    floorMs: round(floor.ms),
    breakdown: {
      signinRequest: pre.signin && [round(pre.signin.start), round(pre.signin.end)],
      pullPagesAtProxy: pagesAtProxy,
      pullPagesInPage: pre.pulls.map((p) => [round(p.start), round(p.firstByte), round(p.end)]),
      lastPullResponseEnd: round(lastPull.end),
      lastResponseToAllWritten: round(allWrittenMs - lastPull.end),
      floorFetchMs: round(floor.fetchMs),
      floorParseMs: round(floor.parseMs),
    },
    variants,
    pullRequests: preLog.length,
    photoFileRequests: proxy.since(p0).filter((r) => r.path.startsWith('/api/attachments/')).length,
    pageProfile,
  }
  if (!pulled.at) ctx.failures.push('pre-load: no lastPullAt after the first pull')
  ctx.log(`pre-load: ${JSON.stringify({ ...ctx.results.preload, pageProfile: undefined })}`)
}

/**
 * No-change refresh, after the pre-load's photo downloads have finished: a click on Refresh,
 * timed at the proxy from just before the click until its pull response ends.
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function refresh(ctx) {
  const { page } = ctx.browser()
  const { proxy } = ctx
  if (!ctx.results.preload) throw new Error('the preload phase did not run')
  await ctx.until(
    () => idle(page),
    60_000,
    'the sync spinner to stop after the pre-load (photos too)',
    50,
  )
  await sleep(1000)
  ctx.waitFor('the no-change refresh: a pull request after the click on Refresh')
  const r0 = performance.now()
  await page.getByTestId('refresh').first().click({ timeout: 15_000 })
  await ctx.until(
    () => proxy.since(r0).some((r) => r.path.startsWith('/api/sync/pull') && r.end > 0),
    30_000,
    'a pull request after the click on Refresh (and its response)',
    5,
  )
  await ctx.until(() => idle(page), 60_000, 'the spinner to stop after the refresh', 5)
  const refreshLog = proxy.since(r0).filter((r) => r.path.startsWith('/api/sync/pull'))
  // Timed at the proxy (this process's clock): from just before the click to the pull's last byte.
  const first = /** @type {import('../lib/proxy.mjs').ProxyRecord} */ (refreshLog[0])
  const timed = { ms: first.end - r0, start: first.start - r0 }
  Object.assign(ctx.results.preload, {
    refreshMs: round(timed.ms),
    refreshBytes: refreshLog.reduce((n, r) => n + r.bytes, 0),
    refreshRequestStart: round(timed.start),
  })
  ctx.log(`refresh: ${ctx.results.preload.refreshMs} ms, ${ctx.results.preload.refreshBytes} B`)
}
