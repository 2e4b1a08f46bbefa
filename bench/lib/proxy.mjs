// @ts-check
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import { extname, join, normalize } from 'node:path'

/**
 * @typedef {{ method: string, path: string, status: number, start: number, end: number,
 *   bytes: number }} ProxyRecord
 */

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json' }

/**
 * The browser's only origin: a node:http proxy in front of the real server that waits
 * `delayMs` before forwarding each request (a simulated round trip on loopback), counts every
 * response's bytes (status line, headers and body), and serves the bench's own files under
 * /bench-baseline/ (never delayed, never counted).
 *
 * @param {{ target: string, staticDir: string }} options
 */
export async function startProxy({ target, staticDir }) {
  const upstream = new URL(target)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  /** @type {ProxyRecord[]} */
  const log = []
  const state = { delayMs: 0 }

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/'
    if (path.startsWith('/bench-baseline/')) return void serveStatic(path, res)
    const start = performance.now()
    /** @type {ProxyRecord} */
    const record = { method: req.method ?? 'GET', path, status: 0, start, end: 0, bytes: 0 }
    log.push(record)
    const forward = () => {
      const headers = { ...req.headers }
      delete headers.connection
      delete headers['keep-alive']
      const up = http.request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path,
          headers,
          agent,
        },
        (ur) => {
          record.status = ur.statusCode ?? 0
          // Status line + headers as they travel (approximately: CRLFs included).
          record.bytes += 17 + ur.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0)
          res.writeHead(ur.statusCode ?? 502, ur.headers)
          ur.on('data', (chunk) => {
            record.bytes += chunk.length
          })
          ur.on('end', () => {
            record.end = performance.now()
          })
          ur.pipe(res)
        },
      )
      up.on('error', (err) => {
        record.end = performance.now()
        record.status = 502
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
        res.end(String(err))
      })
      req.pipe(up)
    }
    if (state.delayMs > 0) setTimeout(forward, state.delayMs)
    else forward()
  })

  /** @param {string} path @param {http.ServerResponse} res */
  async function serveStatic(path, res) {
    const rel = normalize(
      decodeURIComponent(path.split('?')[0] ?? '').slice('/bench-baseline/'.length),
    )
    if (rel === '' || rel === '.') {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' })
      return void res.end('<!doctype html><title>Fieldline bench baseline</title><p>baseline</p>')
    }
    if (rel.startsWith('..')) return void res.writeHead(403).end()
    try {
      const body = await readFile(join(staticDir, rel))
      const type =
        TYPES[/** @type {keyof typeof TYPES} */ (extname(rel))] ?? 'application/octet-stream'
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    /** @param {number} ms */
    setDelay(ms) {
      state.delayMs = ms
    },
    /** Records that started at or after `since` (performance.now() of this process). */
    /** @param {number} since */
    since(since) {
      return log.filter((r) => r.start >= since)
    },
    close() {
      agent.destroy()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve(undefined)))
    },
  }
}
