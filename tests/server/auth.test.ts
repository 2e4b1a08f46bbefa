import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, startTestServer, type TestServer } from './helpers'

let server: TestServer
beforeAll(async () => {
  // inject() comes from 127.0.0.1, listed as the proxy: the HTTPS case is simulated with
  // X-Forwarded-Proto (inject cannot speak TLS).
  server = await startTestServer({ trustProxy: ['127.0.0.1'] })
})
afterAll(() => server.close())

describe('sign-in', () => {
  it('signs in with the demo password and sets a safe session cookie', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: ALEX, password: 'fieldline' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().user).toMatchObject({ email: ALEX, name: 'Alex Rivera', role: 'technician' })
    expect(res.json().user.password_hash).toBeUndefined()
    const setCookie = String(res.headers['set-cookie'])
    expect(setCookie).toMatch(/^fl_session=[\w-]{43};/)
    expect(setCookie).toContain('HttpOnly')
    expect(setCookie).toContain('SameSite=Lax')
    expect(setCookie).toContain('Path=/')
    expect(setCookie).toContain(`Max-Age=${30 * 24 * 3600}`)
    // Plain HTTP in the test: no Secure flag (it would make the cookie unusable).
    expect(setCookie).not.toContain('Secure')
  })

  it('marks the cookie Secure over HTTPS', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { email: ALEX, password: 'fieldline' },
    })
    expect(res.statusCode).toBe(200)
    expect(String(res.headers['set-cookie'])).toContain('Secure')
  })

  it('refuses a wrong password and an unknown email alike', async () => {
    for (const payload of [
      { email: ALEX, password: 'wrong' },
      { email: 'nobody@fieldline.test', password: 'fieldline' },
    ]) {
      const res = await server.app.inject({ method: 'POST', url: '/api/auth/signin', payload })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toEqual({
        error: 'invalid_credentials',
        message: 'Email or password is wrong.',
      })
      expect(res.headers['set-cookie']).toBeUndefined()
    }
  })

  it('refuses a malformed body with a reason', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: 'not-an-email', password: 'x' },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message: 'email must be an email address',
    })
  })

  it('answers /me for a session and 401 after sign-out', async () => {
    const cookie = await server.signIn(ALEX)
    const me = await server.request(cookie, { method: 'GET', url: '/api/auth/me' })
    expect(me.statusCode).toBe(200)
    expect(me.json().user.email).toBe(ALEX)

    const out = await server.request(cookie, { method: 'POST', url: '/api/auth/signout' })
    expect(out.statusCode).toBe(200)
    expect(String(out.headers['set-cookie'])).toMatch(/fl_session=;.*Expires=Thu, 01 Jan 1970/)

    const after = await server.request(cookie, { method: 'GET', url: '/api/auth/me' })
    expect(after.statusCode).toBe(401)
    expect(after.json().error).toBe('unauthenticated')
  })

  it('expires sessions after the TTL', async () => {
    const cookie = await server.signIn(ALEX)
    const saved = server.clock.now
    server.clock.now = new Date(saved.getTime() + 31 * 24 * 3600 * 1000)
    try {
      const res = await server.request(cookie, { method: 'GET', url: '/api/auth/me' })
      expect(res.statusCode).toBe(401)
    } finally {
      server.clock.now = saved
    }
  })
})

describe('guard', () => {
  const guarded: Array<[string, string]> = [
    ['GET', '/api/auth/me'],
    ['GET', '/api/sync/pull'],
    ['POST', '/api/sync/push'],
    ['GET', '/api/dispatch/jobs'],
    ['GET', '/api/dispatch/jobs/00000000-0000-4000-8000-000000000000/notes'],
    ['PATCH', '/api/dispatch/jobs/00000000-0000-4000-8000-000000000000'],
    ['POST', '/api/dispatch/appointments'],
    ['PATCH', '/api/dispatch/appointments/00000000-0000-4000-8000-000000000000'],
    ['GET', '/api/no-such-route'],
  ]
  it.each(guarded)('%s %s needs a session', async (method, url) => {
    const res = await server.app.inject({
      method: method as 'GET',
      url,
      ...(method === 'GET' ? {} : { payload: {} }),
    })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toEqual({ error: 'unauthenticated', message: 'Sign in to continue.' })
  })

  it('refuses a forged cookie', async () => {
    const res = await server.request('fl_session=forged', { method: 'GET', url: '/api/sync/pull' })
    expect(res.statusCode).toBe(401)
  })

  it('answers 404 ApiError for an unknown /api route with a session', async () => {
    const cookie = await server.signIn(ALEX)
    const res = await server.request(cookie, { method: 'GET', url: '/api/no-such-route' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toBe('not_found')
  })
})

describe('health and headers', () => {
  it('answers the health probe without a session, uncached', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/health' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, time: expect.any(String) })
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('sends security headers on every answer, errors included', async () => {
    for (const url of ['/api/health', '/api/sync/pull', '/nothing-here']) {
      const res = await server.app.inject({ method: 'GET', url })
      expect(res.headers['content-security-policy']).toContain("default-src 'self'")
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['referrer-policy']).toBe('no-referrer')
      expect(res.headers['x-frame-options']).toBe('DENY')
      expect(res.headers['permissions-policy']).toBe('camera=(self), geolocation=()')
    }
  })

  it('answers malformed JSON with 400 and a reason', async () => {
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ error: 'invalid_json', message: 'The body is not valid JSON.' })
  })
})
