// @ts-check
import { round } from './util.mjs'

/**
 * The table printed at the end: each figure, its target (issue 16) and met / NOT met. A figure
 * whose phase did not run shows "—".
 * @param {Record<string, any>} r
 */
export function printTable(r) {
  const rp = r.replay ?? {}
  const pl = r.preload ?? {}
  const al = r.actionLatency ?? {}
  const fv = r.firstVisit ?? {}
  const sp = r.serverPush
  const spg = r.serverPushPostgres
  /** @type {Array<[string, string, string, boolean | null]>} */
  const rows = []
  /** @param {string} a @param {unknown} have @param {() => string} b @param {string} c @param {() => boolean} ok */
  const row = (a, have, b, c, ok) => rows.push(have ? [a, b(), c, ok()] : [a, '—', c, null])
  row(
    `replay ${rp.actions} notes @ ${rp.rttMs} ms RTT`,
    rp.ms,
    () => `${rp.ms} ms, ${rp.requests} pushes`,
    '≤ 200 ms',
    () => rp.ms <= 200,
  )
  row(
    '  baseline (workbox Queue, 1 POST each)',
    rp.baselineMs,
    () => `${rp.baselineMs} ms, ${rp.baselineRequests} pushes`,
    '',
    () => true,
  )
  row(
    '  ratio baseline / ours',
    rp.ratio,
    () => `${rp.ratio}×`,
    '≥ 100×',
    () => rp.ratio >= 100,
  )
  row(
    `pre-load ${pl.entities} entities, ${Math.round((pl.bytes ?? 0) / 1024)} KB wire (${Math.round((pl.jsonBytes ?? 0) / 1024)} KB JSON)`,
    pl.ms,
    () =>
      `all written ${pl.allWrittenMs} ms (floor ${pl.floorMs} ms = ${round(pl.allWrittenMs / pl.floorMs, 2)}×); first visit ${pl.ms} ms`,
    '≤ 1.3 × floor',
    () => pl.allWrittenMs <= 1.3 * pl.floorMs,
  )
  row(
    'no-change refresh',
    pl.refreshMs,
    () => `${pl.refreshMs} ms, ${pl.refreshBytes} B`,
    '≤ 150 ms, ≤ 2 KB',
    () => pl.refreshMs <= 150 && pl.refreshBytes <= 2048,
  )
  row(
    `action latency (${al.samples} notes, offline, UI)`,
    al.p95Ms,
    () => `p50 ${al.p50Ms} ms, p95 ${al.p95Ms} ms (floor p95 ${al.floorP95Ms})`,
    'p95 ≤ 16 ms',
    () => al.p95Ms <= 16,
  )
  row(
    'offline start (median)',
    r.offlineStartMs,
    () => `${r.offlineStartMs} ms`,
    '≤ 150 ms',
    () => r.offlineStartMs <= 150,
  )
  row(
    'first-screen JS+CSS gzip',
    r.bundleGzipBytes,
    () => `${round(r.bundleGzipBytes / 1024)} KB`,
    '≤ 60 KB',
    () => r.bundleGzipBytes <= 60 * 1024,
  )
  row(
    'first visit: sign-in on the wire',
    fv.signInWireBytes,
    () => `${round(fv.signInWireBytes / 1024)} KB`,
    '≤ 80 KB',
    () => fv.signInWireBytes <= 80 * 1024,
  )
  row(
    'first visit: precache on the wire',
    fv.precacheWireBytes,
    () => `${round(fv.precacheWireBytes / 1024)} KB`,
    '',
    () => true,
  )
  row(
    `server push (sqlite)`,
    sp,
    () => `${sp.mutationsPerSec} mutations/s`,
    '≥ 10,000/s',
    () => sp.mutationsPerSec >= 10_000,
  )
  if (r.options?.postgres)
    row(
      `server push (postgres)`,
      spg,
      () => `${spg.mutationsPerSec} mutations/s`,
      '≥ 10,000/s',
      () => spg.mutationsPerSec >= 10_000,
    )
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((x) => String(x[i]).length)))
  console.log('')
  for (const [a, b, c, ok] of rows) {
    const mark = ok === null || c === '' ? '' : ok ? 'met' : 'NOT met'
    console.log(
      `${a.padEnd(w[0] ?? 0)} | ${b.padEnd(w[1] ?? 0)} | ${c.padEnd(w[2] ?? 0)} | ${mark}`,
    )
  }
}
