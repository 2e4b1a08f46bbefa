// @ts-check
import { percentile, round } from '../lib/util.mjs'

/**
 * Offline cold start: network off, `page.reload()`, navigation start → first data-testid="visit"
 * element in the DOM (the service worker serves the app, IndexedDB the data). Median of N.
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function offlineStart(ctx) {
  const { context, page } = ctx.browser()
  await context.setOffline(true)
  /** @type {number[]} */
  const starts = []
  for (let i = 0; i < ctx.opts.offlineStarts; i++) {
    ctx.waitFor(`offline start ${i + 1} of ${ctx.opts.offlineStarts}: the first visit after reload`)
    await page.reload({ waitUntil: 'commit' })
    await page.waitForFunction(
      () => /** @type {any} */ (window).__bench?.firstVisit != null,
      undefined,
      { timeout: 20_000, polling: 10 },
    )
    starts.push(await page.evaluate(() => /** @type {any} */ (window).__bench.firstVisit))
  }
  ctx.results.offlineStartMs = round(percentile(starts, 50))
  ctx.results.offlineStart = {
    samples: starts.map((s) => round(s)),
    medianMs: ctx.results.offlineStartMs,
    note: 'navigation start → first data-testid="visit" element in the DOM, network off, SW + IndexedDB',
  }
  ctx.log(
    `offline start: median ${ctx.results.offlineStartMs} ms of ${starts.map(Math.round).join(', ')}`,
  )
  ctx.waitFor('the app to reload online')
  await context.setOffline(false)
  await page.reload()
  await page.getByTestId('visit').first().waitFor()
}
