// @ts-check
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** @param {number[]} values @param {number} p 0..100, nearest-rank */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return /** @type {number} */ (sorted[rank - 1])
}

/** @param {number} n @param {number} [digits] */
export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

/**
 * JS and CSS the first screen loads, gzipped (level 9, each file on its own, as a server
 * would send them): the entry script and stylesheets of dist/index.html, plus every module
 * they import statically (dynamic import() chunks are not part of the first screen).
 * @param {string} distDir
 */
export function bundleGzip(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8')
  /** @type {string[]} */
  const queue = []
  for (const m of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g))
    queue.push(/** @type {string} */ (m[1]))
  for (const m of html.matchAll(/<link[^>]*rel="(?:stylesheet|modulepreload)"[^>]*href="([^"]+)"/g))
    queue.push(/** @type {string} */ (m[1]))
  /** @type {Array<{ file: string, bytes: number, gzip: number }>} */
  const files = []
  const seen = new Set()
  while (queue.length > 0) {
    const url = /** @type {string} */ (queue.shift())
    if (seen.has(url) || /^https?:/.test(url)) continue
    seen.add(url)
    const body = readFileSync(join(distDir, url))
    files.push({ file: url, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length })
    if (url.endsWith('.js')) {
      const code = body.toString('utf8')
      for (const m of code.matchAll(
        /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?from\s*)?["']([^"']+\.js)["']/g,
      )) {
        const spec = /** @type {string} */ (m[1])
        queue.push(spec.startsWith('/') ? spec : join(dirname(url), spec))
      }
    }
  }
  return { files, gzipBytes: files.reduce((n, f) => n + f.gzip, 0) }
}

/**
 * Top functions by self time in a V8 .cpuprofile (Node's --cpu-prof or CDP Profiler).
 * @param {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }>, samples?: number[], timeDeltas?: number[], startTime: number, endTime: number }} profile
 * @param {number} [top]
 */
export function summarizeProfile(profile, top = 12) {
  /** @type {Map<number, number>} */
  const selfUs = new Map()
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  for (let i = 0; i < samples.length; i++) {
    const id = /** @type {number} */ (samples[i])
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0))
  }
  /** @type {Map<string, number>} */
  const byFn = new Map()
  let total = 0
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0
    total += us
    const f = node.callFrame
    const file = f.url.split('/').slice(-2).join('/')
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`
    byFn.set(key, (byFn.get(key) ?? 0) + us)
  }
  return {
    totalMs: round(total / 1000),
    top: [...byFn.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({
        fn,
        ms: round(us / 1000),
        pct: round((100 * us) / Math.max(total, 1)),
      })),
  }
}
