import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, jobOf, noteAdd, startTestServer, type TestServer } from './helpers'

/**
 * The Origin check on state-changing /api requests (server/http/origin.ts): a request another
 * website's page makes is refused 403 before anything runs; the app's own requests, and clients
 * that send no Origin, pass.
 */

const PROXY = '10.0.0.1'
const SITE = 'fieldline.example'
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ trustProxy: [PROXY] })
})
afterAll(() => server.close())

const CROSS = {
  error: 'cross_origin',
  message:
    'This request came from another website and was refused. Open Fieldline at its own address and try again.',
}

function signIn(headers: Record<string, string>, extra: Partial<InjectOptions> = {}) {
  return server.app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    headers: { host: SITE, ...headers },
    payload: { email: ALEX, password: 'fieldline' },
    ...extra,
  })
}

async function sessionCount(): Promise<number> {
  const rows = await server.db.kysely.selectFrom('sessions').select('id').execute()
  return rows.length
}

describe('requests from another website', () => {
  it.each([
    ['another site', { origin: 'https://evil.example' }],
    ['a sibling subdomain', { origin: `https://blog.${SITE}` }],
    ['another port', { origin: `http://${SITE}:8081` }],
    ['an opaque origin (null)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site, no Origin', { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: cross-site, whatever Origin says',
      { origin: `https://${SITE}`, 'sec-fetch-site': 'cross-site' },
    ],
  ])('refuses a sign-in from %s with 403, creating nothing', async (_name, headers) => {
    const before = await sessionCount()
    const res = await signIn(headers)
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual(CROSS)
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(await sessionCount()).toBe(before)
  })

  it('refuses a push carrying a valid session cookie, before it is applied', async () => {
    const cookie = await server.signIn(ALEX)
    const job = await jobOf(server, ALEX)
    const note = noteAdd(job.id, 1, 'forged from another site')
    const res = await server.request(cookie, {
      method: 'POST',
      url: '/api/sync/push',
      headers: { host: SITE, origin: 'https://evil.example' },
      payload: { deviceId: crypto.randomUUID(), mutations: [note] },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json()).toEqual(CROSS)
    const stored = await server.db.kysely
      .selectFrom('notes')
      .select('id')
      .where('body', '=', 'forged from another site')
      .execute()
    expect(stored).toEqual([])
  })

  it('checks PUT, PATCH and DELETE too, and answers before the session guard', async () => {
    const id = '00000000-0000-4000-8000-000000000000'
    for (const [method, url] of [
      ['PUT', `/api/attachments/${id}/file`],
      ['PATCH', `/api/dispatch/jobs/${id}`],
      ['DELETE', `/api/dispatch/users/${id}/sessions`],
    ] as const) {
      const res = await server.app.inject({
        method,
        url,
        headers: { host: SITE, origin: 'https://evil.example' },
        payload: {},
      })
      expect(res.statusCode, `${method} ${url}`).toBe(403)
      expect(res.json()).toEqual(CROSS)
    }
  })
})

describe('requests that pass', () => {
  it.each([
    [
      'the same origin (what the app sends)',
      { origin: `https://${SITE}`, 'sec-fetch-site': 'same-origin' },
    ],
    ['the same origin with its default port spelled out', { origin: `https://${SITE}:443` }],
    ['no Origin (curl, scripts, integrations)', {}],
    ['a navigation the user started', { 'sec-fetch-site': 'none' }],
  ])('lets through %s', async (_name, headers) => {
    expect((await signIn(headers)).statusCode).toBe(200)
  })

  it('lets reads through whatever their Origin (they change nothing)', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    })
    expect(res.statusCode).toBe(200)
  })

  it('believes X-Forwarded-Host only from a listed proxy', async () => {
    // Behind the proxy the server is reached as an internal name; the page's origin is public.
    const headers = {
      host: 'api.internal:8080',
      'x-forwarded-host': SITE,
      origin: `https://${SITE}`,
    }
    expect((await signIn(headers, { remoteAddress: PROXY })).statusCode).toBe(200)
    // The same headers straight from a client: its X-Forwarded-Host is not believed.
    const direct = await signIn(headers, { remoteAddress: '203.0.113.9' })
    expect(direct.statusCode).toBe(403)
    expect(direct.json()).toEqual(CROSS)
  })
})
