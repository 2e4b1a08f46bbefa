import { createHash, randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, richJob, startTestServer, type TestServer } from './helpers'

/** Security headers on every kind of answer, and uploads judged by their bytes, not names. */

let server: TestServer
let dist: string
let alex: string

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'fieldline-dist-'))
  await mkdir(join(dist, 'assets'))
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Fieldline</title>')
  await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  await writeFile(join(dist, 'assets', 'index-3f2a1b.js'), 'console.log(1)')
  server = await startTestServer({ staticDir: dist })
  alex = await server.signIn(ALEX)
})
afterAll(async () => {
  await server.close()
  await rm(dist, { recursive: true, force: true })
})

function expectSecurityHeaders(what: string, headers: Record<string, unknown>) {
  const csp = String(headers['content-security-policy'])
  expect({ what, csp }).toMatchObject({ what, csp: expect.stringContaining("script-src 'self'") })
  expect(csp).not.toContain('unsafe-inline')
  expect(csp).not.toContain('unsafe-eval')
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toContain("object-src 'none'")
  expect(headers['x-content-type-options']).toBe('nosniff')
  expect(headers['referrer-policy']).toBe('no-referrer')
  expect(headers['x-frame-options']).toBe('DENY')
}

describe('security headers', () => {
  it('are on the app, the service worker, assets, the API, 404s and errors', async () => {
    const job = await richJob(server)
    const attachment = await server.db.kysely
      .selectFrom('attachments')
      .select('id')
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow()
    const cases: Array<[string, InjectOptions, string | null, number]> = [
      ['/', { method: 'GET', url: '/' }, null, 200],
      ['/sw.js', { method: 'GET', url: '/sw.js' }, null, 200],
      ['an asset', { method: 'GET', url: '/assets/index-3f2a1b.js' }, null, 200],
      ['an app route', { method: 'GET', url: '/jobs/whatever' }, null, 200],
      // A missing file is a 404 (not the app page), with the same headers.
      ['a missing asset', { method: 'GET', url: '/assets/nope.js' }, null, 404],
      ['health', { method: 'GET', url: '/api/health' }, null, 200],
      ['a 401', { method: 'GET', url: '/api/sync/pull' }, null, 401],
      ['pull', { method: 'GET', url: '/api/sync/pull' }, alex, 200],
      ['a file', { method: 'GET', url: `/api/attachments/${attachment.id}/file` }, alex, 200],
      ['an API 404', { method: 'GET', url: '/api/nothing' }, alex, 404],
      [
        'a 400',
        {
          method: 'POST',
          url: '/api/auth/signin',
          headers: { 'content-type': 'application/json' },
          payload: '{',
        },
        null,
        400,
      ],
      ['a 405-ish POST to the app', { method: 'POST', url: '/' }, null, 404],
    ]
    for (const [what, opts, cookie, status] of cases) {
      const res = await server.request(cookie, opts)
      expect({ what, status: res.statusCode }).toEqual({ what, status })
      expectSecurityHeaders(what, res.headers)
    }
  })

  it('are on a 500 too, which says nothing about the cause', async () => {
    const job = await richJob(server)
    const attachment = await server.db.kysely
      .selectFrom('attachments')
      .select('id')
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow()
    const original = server.blobs.get.bind(server.blobs)
    server.blobs.get = async () => {
      throw new Error('disk on fire at /secret/path')
    }
    try {
      const res = await server.request(alex, {
        method: 'GET',
        url: `/api/attachments/${attachment.id}/file`,
      })
      expect(res.statusCode).toBe(500)
      expect(res.json()).toEqual({
        error: 'internal',
        message: 'Something went wrong on the server.',
      })
      expectSecurityHeaders('a 500', res.headers)
    } finally {
      server.blobs.get = original
    }
  })

  it('keeps API answers out of every HTTP cache', async () => {
    for (const url of ['/api/health', '/api/sync/pull', '/api/auth/me']) {
      const res = await server.request(alex, { method: 'GET', url })
      expect(res.headers['cache-control']).toMatch(/no-store/)
    }
  })
})

describe('uploads are judged by their bytes', () => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
  const upload = (bytes: Buffer, type: string) =>
    server.request(alex, {
      method: 'PUT',
      url: `/api/attachments/${randomUUID()}/file`,
      headers: { 'content-type': type, 'x-content-sha256': sha(bytes) },
      payload: bytes,
    })

  const good: Array<[string, string, Buffer]> = [
    [
      'JPEG',
      'image/jpeg',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64)]),
    ],
    [
      'PNG',
      'image/png',
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.alloc(64),
      ]),
    ],
    [
      'WebP',
      'image/webp',
      Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]),
    ],
    [
      'HEIC',
      'image/heic',
      Buffer.concat([
        Buffer.from([0, 0, 0, 24]),
        Buffer.from('ftypheic'),
        Buffer.alloc(4),
        Buffer.from('mif1heic'),
      ]),
    ],
    ['PDF', 'application/pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n')],
  ]
  it.each(good)('accepts a %s, declared or as octet-stream', async (_name, type, bytes) => {
    expect((await upload(bytes, type)).statusCode).toBe(201)
    expect((await upload(bytes, 'application/octet-stream')).statusCode).toBe(201)
  })

  const bad: Array<[string, Buffer]> = [
    ['a Windows EXE', Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(128, 1)])],
    ['an ELF binary', Buffer.concat([Buffer.from('\x7fELF'), Buffer.alloc(64, 2)])],
    ['an HTML page', Buffer.from('<!doctype html><script>alert(document.cookie)</script>')],
    [
      'an SVG with script',
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
      ),
    ],
    [
      'an XML-declared SVG',
      Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'),
    ],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00')],
    ['a ZIP', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)])],
  ]
  it.each(bad)(
    'refuses %s renamed as a photo or PDF, or as octet-stream (415)',
    async (_name, bytes) => {
      for (const type of [
        'image/jpeg',
        'image/png',
        'application/pdf',
        'application/octet-stream',
      ]) {
        const res = await upload(bytes, type)
        expect({ type, status: res.statusCode }).toEqual({ type, status: 415 })
        expect(res.json().error).toBe('unsupported_type')
      }
      for (const type of ['text/html', 'image/svg+xml', 'application/x-msdownload']) {
        expect((await upload(bytes, type)).statusCode).toBe(415)
      }
    },
  )
})
