import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/** Answers smaller than about one network packet go as they are: nothing to gain. */
export const MIN_COMPRESS_BYTES = 1024

/**
 * Quality per encoding, measured on a busy technician's pre-load (bench/lib/dataset.mjs, 8.9 MB
 * of JSON in 6 pages): brotli 1 → 779 KB in 19 ms, 3 → 712 KB in 34 ms, 5 → 657 KB in 81 ms;
 * gzip 1 → 1,032 KB in 28 ms, 4 → 902 KB in 40 ms, 6 → 848 KB in 56 ms. A pre-load on a weak
 * signal is bound by bytes; the server's CPU is shared by a fleet: the middle of each.
 */
const BROTLI_QUALITY = 3
const GZIP_LEVEL = 4

type Encoding = 'br' | 'gzip'

/**
 * The API's JSON answers compressed (brotli, else gzip) when the client accepts it: a pull
 * page is mostly JSON text and thumbnails and shrinks about twelvefold, which on a phone with
 * one bar is the difference between seconds and a minute of pre-load. The app's built files are
 * compressed at build time instead (http/static.ts).
 *
 * Not compressed: answers under MIN_COMPRESS_BYTES, anything but JSON (files, the live event
 * stream), and the sign-in routes, whose answers carry a token: compressing a secret beside
 * text a client chose is what BREACH-style attacks measure. The work runs on libuv's thread
 * pool, so a big page does not hold the event loop.
 */
export function registerCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isCompressibleJson(request, reply)) return payload
    appendVary(reply)
    const text = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : null
    if (text === null || Buffer.byteLength(text) < MIN_COMPRESS_BYTES) return payload
    const encoding = chooseEncoding(request.headers['accept-encoding'])
    if (!encoding) return payload
    const body =
      encoding === 'br'
        ? await brotli(text, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            },
          })
        : await gzipAsync(text, { level: GZIP_LEVEL })
    reply.header('Content-Encoding', encoding)
    reply.removeHeader('Content-Length')
    return body
  })
}

function isCompressibleJson(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!request.url.startsWith('/api/') || request.url.startsWith('/api/auth/')) return false
  if (request.method === 'HEAD' || reply.hasHeader('Content-Encoding')) return false
  const type = String(reply.getHeader('Content-Type') ?? '')
  return type.startsWith('application/json')
}

function appendVary(reply: FastifyReply): void {
  const vary = String(reply.getHeader('Vary') ?? '')
  if (/\baccept-encoding\b/i.test(vary)) return
  reply.header('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding')
}

/**
 * The encoding to use for an Accept-Encoding header: brotli, else gzip, when listed with a
 * non-zero quality (or covered by `*`); null for none (identity).
 */
export function chooseEncoding(header: string | string[] | undefined): Encoding | null {
  const q = new Map<string, number>()
  for (const part of (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';')
    if (!name) continue
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const value = qParam ? Number(qParam.slice(2)) : 1
    q.set(name, Number.isFinite(value) ? value : 0)
  }
  const accepts = (name: Encoding) => (q.get(name) ?? q.get('*') ?? 0) > 0
  if (accepts('br')) return 'br'
  if (accepts('gzip')) return 'gzip'
  return null
}
