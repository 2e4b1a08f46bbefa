import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  MAX_FAILURES_PER_EMAIL,
  MAX_FAILURES_PER_IP,
  SIGNIN_WINDOW_MS,
} from '../../server/auth/rateLimit'
import { hashToken } from '../../server/auth/sessions'
import { ALEX, JORDAN, SAM, startTestServer, type TestServer } from './helpers'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ trustProxy: ['127.0.0.1'] })
})
afterAll(() => server.close())

function signIn(email: string, password: string, ip = '203.0.113.7', proto = 'http') {
  return server.app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    headers: { 'x-forwarded-for': ip, 'x-forwarded-proto': proto },
    payload: { email, password },
  })
}

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS (X-Forwarded-Proto behind TRUST_PROXY)', async () => {
    const res = await signIn(SAM, 'fieldline', '198.51.100.1', 'https')
    expect(res.statusCode).toBe(200)
    const cookie = String(res.headers['set-cookie'])
    for (const flag of ['HttpOnly', 'SameSite=Lax', 'Path=/', 'Secure']) {
      expect(cookie).toContain(flag)
    }
  })

  it('is a random token stored only as its hash', async () => {
    const res = await signIn(SAM, 'fieldline', '198.51.100.1')
    const token = res.cookies.find((c) => c.name === 'fl_session')?.value as string
    const rows = await server.db.kysely.selectFrom('sessions').select('id').execute()
    expect(rows.map((r) => r.id)).toContain(hashToken(token))
    expect(rows.map((r) => r.id)).not.toContain(token)
  })

  it('expiry ends the session on the server: the old cookie is refused', async () => {
    const cookie = await server.signIn(SAM)
    const saved = server.clock.now
    server.clock.now = new Date(saved.getTime() + 30 * 24 * 3600_000 + 1000)
    try {
      const res = await server.request(cookie, { method: 'GET', url: '/api/sync/pull' })
      expect(res.statusCode).toBe(401)
    } finally {
      server.clock.now = saved
    }
  })

  it('sign-out deletes the session row: a copy of the cookie is refused afterwards', async () => {
    const cookie = await server.signIn(SAM)
    const token = cookie.split('=')[1] as string
    await server.request(cookie, { method: 'POST', url: '/api/auth/signout', payload: {} })
    const row = await server.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('id', '=', hashToken(token))
      .executeTakeFirst()
    expect(row).toBeUndefined()
    const res = await server.request(cookie, { method: 'GET', url: '/api/sync/pull' })
    expect(res.statusCode).toBe(401)
  })
})

describe('sign-in rate limit', () => {
  it(`locks an email after ${MAX_FAILURES_PER_EMAIL} failures, with Retry-After and a readable message`, async () => {
    // Different addresses each time: it is the email that is counted here.
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      const res = await signIn(JORDAN, 'wrong', `192.0.2.${i + 1}`)
      expect(res.statusCode).toBe(401)
    }
    const locked = await signIn(JORDAN, 'fieldline', '192.0.2.200')
    expect(locked.statusCode).toBe(429)
    expect(locked.json()).toEqual({
      error: 'too_many_attempts',
      message: 'Too many failed sign-ins. Try again in 15 minutes.',
    })
    const retryAfter = Number(locked.headers['retry-after'])
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(SIGNIN_WINDOW_MS / 1000)
    expect(locked.headers['set-cookie']).toBeUndefined()

    // Another email from the same addresses is not affected.
    expect((await signIn(SAM, 'fieldline', '192.0.2.1')).statusCode).toBe(200)

    // The window moves on: the right password works again, and clears the count.
    const saved = server.clock.now
    server.clock.now = new Date(saved.getTime() + SIGNIN_WINDOW_MS + 1000)
    try {
      expect((await signIn(JORDAN, 'fieldline', '192.0.2.201')).statusCode).toBe(200)
      const left = await server.db.kysely
        .selectFrom('signin_failures')
        .select('id')
        .where('key', '=', `email:${JORDAN}`)
        .execute()
      expect(left).toEqual([])
    } finally {
      server.clock.now = saved
    }
  })

  it(`locks an address after ${MAX_FAILURES_PER_IP} failures, whatever the emails`, async () => {
    const ip = '192.0.2.99'
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) {
      const res = await signIn(`nobody${i}@fieldline.test`, 'wrong', ip)
      expect(res.statusCode).toBe(401)
    }
    const locked = await signIn(ALEX, 'fieldline', ip)
    expect(locked.statusCode).toBe(429)
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0)
    // The same person from another address signs in.
    expect((await signIn(ALEX, 'fieldline', '192.0.2.98')).statusCode).toBe(200)
  })

  it('does not count malformed requests as attempts', async () => {
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL + 2; i++) {
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        payload: { email: SAM, password: '' },
      })
      expect(res.statusCode).toBe(400)
    }
    expect((await signIn(SAM, 'fieldline', '198.51.100.50')).statusCode).toBe(200)
  })
})
