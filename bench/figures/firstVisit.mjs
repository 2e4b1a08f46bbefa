// @ts-check
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, executablePath } from '../lib/browser.mjs'
import { bundleGzip } from '../lib/util.mjs'

/** What a phone's browser sends over HTTPS (Chromium offers br only on secure origins). */
const ACCEPT_ENCODING = 'gzip, deflate, br, zstd'

/**
 * First-visit bytes on the wire, as the server sends them (precompressed brotli when accepted):
 *   signInWireBytes   — every request a fresh browser makes until the sign-in form is up and the
 *                       network is idle, with the service worker blocked (its precache is
 *                       counted apart): index.html, the first screen's JS and CSS, the manifest,
 *                       icons, the session check;
 *   precacheWireBytes — every URL of the service worker's precache manifest (dist/sw.js), plus
 *                       sw.js itself, which a first visit downloads in the background.
 * Each URL is fetched again from Node with a phone's Accept-Encoding (the bench's origin is
 * http://127.0.0.1, where Chromium does not offer br), counting status line, headers and body
 * as they arrive (not decompressed). Also the first screen's gzip size (bundleGzipBytes, the
 * 60 KB budget), computed from dist/ as before.
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function firstVisit(ctx) {
  const bundle = bundleGzip(join(ctx.root, 'dist'))
  ctx.results.bundleGzipBytes = bundle.gzipBytes
  ctx.results.bundleFiles = bundle.files

  ctx.waitFor('a fresh browser to show the sign-in form')
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
  const unregister = ctx.cleanup.add('first-visit browser', () => browser.close())
  /** @type {string[]} */
  let paths = []
  try {
    const page = await browser.newPage({ serviceWorkers: 'block', baseURL: ctx.proxy.url })
    const t0 = performance.now()
    await page.goto('/', { waitUntil: 'networkidle' })
    await page.getByLabel('Email').waitFor()
    paths = [...new Set(ctx.proxy.since(t0).map((r) => r.path))]
  } finally {
    unregister()
    await browser.close()
  }
  ctx.waitFor('the first-visit files fetched again with Accept-Encoding br')
  const signIn = await Promise.all(paths.map((p) => wireBytes(ctx.server.url, p)))
  const precachePaths = ['/sw.js', ...precacheManifest(join(ctx.root, 'dist/sw.js'))]
  const precache = await Promise.all(precachePaths.map((p) => wireBytes(ctx.server.url, p)))
  const sum = (/** @type {Array<{ bytes: number }>} */ list) =>
    list.reduce((n, f) => n + f.bytes, 0)
  ctx.results.firstVisit = {
    signInWireBytes: sum(signIn),
    precacheWireBytes: sum(precache),
    acceptEncoding: ACCEPT_ENCODING,
    signInFiles: signIn,
    precacheFiles: precache.length,
    precacheLargest: [...precache].sort((a, b) => b.bytes - a.bytes).slice(0, 8),
  }
  ctx.log(
    `first visit: sign-in ${sum(signIn)} B over ${signIn.length} requests, precache ${sum(precache)} B over ${precache.length}`,
  )
}

/** The precache manifest vite-plugin-pwa injected into sw.js: `{"revision":…,"url":"…"}` entries. @param {string} file */
export function precacheManifest(file) {
  const code = readFileSync(file, 'utf8')
  const urls = [...code.matchAll(/\{"revision":(?:"[^"]*"|null),"url":"([^"]+)"\}/g)].map(
    (m) => /** @type {string} */ (m[1]),
  )
  if (urls.length === 0) throw new Error(`no precache manifest found in ${file}`)
  return urls.map((u) => (u.startsWith('/') ? u : `/${u}`))
}

/**
 * Bytes of one response as it travels: status line, headers, body (encoded).
 * @param {string} base @param {string} path
 * @returns {Promise<{ path: string, status: number, encoding: string | null, bytes: number }>}
 */
function wireBytes(base, path) {
  return new Promise((resolve, reject) => {
    const req = http.get(
      new URL(path, base),
      { headers: { 'accept-encoding': ACCEPT_ENCODING } },
      (res) => {
        let bytes =
          `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length +
          // "name: value\r\n" for each header (rawHeaders alternates names and values), then CRLF.
          res.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0) +
          2
        res.on('data', (chunk) => {
          bytes += chunk.length
        })
        res.on('end', () =>
          resolve({
            path,
            status: res.statusCode ?? 0,
            encoding: /** @type {string | null} */ (res.headers['content-encoding'] ?? null),
            bytes,
          }),
        )
        res.on('error', reject)
      },
    )
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer for ${path}`)))
    req.on('error', reject)
  })
}
