import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../../server/auth/sessions'
import { ALEX, SAM, startTestServer, type TestServer } from './helpers'

/**
 * POST /api/auth/revoke: a device that signed out while offline ends its session later with the
 * revocation token the sign-in gave it, without the (HttpOnly, maybe replaced) cookie.
 */

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

async function signIn(email: string): Promise<{ cookie: string; revocationToken: string }> {
  const res = await server.app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    payload: { email, password: 'fieldline' },
  })
  expect(res.statusCode).toBe(200)
  const value = res.cookies.find((c) => c.name === 'fl_session')?.value as string
  return { cookie: `fl_session=${value}`, revocationToken: res.json().revocationToken }
}

function revoke(token: unknown, cookie: string | null = null) {
  return server.request(cookie, {
    method: 'POST',
    url: '/api/auth/revoke',
    payload: { token },
  })
}

const me = (cookie: string) => server.request(cookie, { method: 'GET', url: '/api/auth/me' })

describe('revocation tokens', () => {
  it('comes with every sign-in, random, and is stored only as its hash', async () => {
    const a = await signIn(ALEX)
    const b = await signIn(ALEX)
    expect(a.revocationToken).toMatch(/^[\w-]{43}$/)
    expect(b.revocationToken).not.toBe(a.revocationToken)
    const token = a.cookie.split('=')[1] as string
    const row = await server.db.kysely
      .selectFrom('sessions')
      .select('revocation_hash')
      .where('id', '=', hashToken(token))
      .executeTakeFirstOrThrow()
    expect(row.revocation_hash).toBe(hashToken(a.revocationToken))
    const all = await server.db.kysely.selectFrom('sessions').select('revocation_hash').execute()
    expect(all.map((r) => r.revocation_hash)).not.toContain(a.revocationToken)
  })

  it('ends that session, without its cookie; again and again it answers ok', async () => {
    const kept = await signIn(ALEX)
    const ended = await signIn(ALEX)
    expect((await me(ended.cookie)).statusCode).toBe(200)
    const res = await revoke(ended.revocationToken)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true })
    expect((await me(ended.cookie)).statusCode).toBe(401)
    // Idempotent, and only that session: the same person's other sign-in goes on.
    expect((await revoke(ended.revocationToken)).json()).toEqual({ ok: true })
    expect((await me(kept.cookie)).statusCode).toBe(200)
  })

  it('answers an unknown token exactly like a known one', async () => {
    const res = await revoke('x'.repeat(43))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true })
    expect(res.headers['set-cookie']).toBeUndefined()
  })

  it('leaves alone sessions that have no revocation token (made before there were any)', async () => {
    const legacy = await signIn(SAM)
    const id = hashToken(legacy.cookie.split('=')[1] as string)
    await server.db.kysely
      .updateTable('sessions')
      .set({ revocation_hash: null })
      .where('id', '=', id)
      .execute()
    expect((await revoke(legacy.revocationToken)).statusCode).toBe(200)
    expect((await me(legacy.cookie)).statusCode).toBe(200)
  })

  it("clears the cookie only when it is the revoked session's own", async () => {
    const old = await signIn(ALEX)
    const own = await revoke(old.revocationToken, old.cookie)
    expect(String(own.headers['set-cookie'])).toMatch(/fl_session=;.*Expires=Thu, 01 Jan 1970/)

    // The usual case: another technician signed in on the phone since; their cookie is sent.
    const older = await signIn(ALEX)
    const next = await signIn(SAM)
    const other = await revoke(older.revocationToken, next.cookie)
    expect(other.statusCode).toBe(200)
    expect(other.headers['set-cookie']).toBeUndefined()
    expect((await me(older.cookie)).statusCode).toBe(401)
    expect((await me(next.cookie)).json().user.email).toBe(SAM)
  })

  it.each([
    ['an empty token', { token: '' }],
    ['a number', { token: 5 }],
    ['a very long token', { token: 'x'.repeat(201) }],
    ['an extra field', { token: 'x', userId: 'y' }],
    ['no token', {}],
  ])('refuses %s with a 400 ApiError', async (_name, payload) => {
    const res = await server.app.inject({ method: 'POST', url: '/api/auth/revoke', payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ error: 'invalid_request', message: expect.any(String) })
  })
})
