import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import * as v from 'valibot'
import { RevokeRequest, SignInRequest, type SignInResponse, type User } from '../../protocol/auth'
import { Id } from '../../protocol/fields'
import type { AppContext } from '../context'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { requireRole, sessionUser } from './guard'
import { dummyPasswordHash, verifyPassword } from './password'
import { SigninLimiter } from './rateLimit'
import { createSession, deleteSession, hashToken, revokeSession, SESSION_COOKIE } from './sessions'

/** Sign-out and revocation take no fields: `{}` (what the app sends) or no body at all. */
const NoBody = v.optional(v.strictObject({}))
const UserParams = v.strictObject({ id: Id })

export function registerAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely
  const limiter = new SigninLimiter(db, ctx.db.dialect)

  app.post('/api/auth/signin', { config: { public: true } }, async (request, reply) => {
    const { email, password } = parseInput(SignInRequest, request.body)
    // A failure slot is reserved before any password is hashed, so a burst sent at once is
    // limited too (rateLimit.ts); locked out: 429 with Retry-After, nothing hashed.
    const slot = await limiter.reserve(email, request.ip, ctx.now())
    const row = await db
      .selectFrom('users')
      .select(['id', 'email', 'name', 'role', 'password_hash'])
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst()
    // Hash even for an unknown email so both failures take the same time.
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()))
    // A failure keeps its reserved slot: that is what counts it.
    if (!row || !ok) throw new HttpError(401, 'invalid_credentials', 'Email or password is wrong.')
    await limiter.succeed(email, slot)
    const session = await createSession(db, row.id, ctx.sessionTtlSeconds, ctx.now())
    setSessionCookie(request, reply, session.token, ctx.sessionTtlSeconds)
    const user: User = { id: row.id, email: row.email, name: row.name, role: row.role }
    const answer: SignInResponse = { user, revocationToken: session.revocationToken }
    return answer
  })

  // Public: signing out with an expired session must still clear the cookie.
  app.post('/api/auth/signout', { config: { public: true } }, async (request, reply) => {
    parseInput(NoBody, request.body)
    const token = request.cookies[SESSION_COOKIE]
    if (token) await deleteSession(db, token)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true }
  })

  /**
   * Ends the session a revocation token belongs to, without its cookie: a device that signed
   * out offline sends it once it is back (see src/data/session.ts). Public, idempotent, and the
   * same answer for a known and an unknown token (it tells nobody whether a session existed).
   * The token is 256 random bits, so guessing one is hopeless and it needs no rate limit. When
   * the request still carries that very session's cookie, the cookie is cleared too; a cookie of
   * a later sign-in is left alone.
   */
  app.post('/api/auth/revoke', { config: { public: true } }, async (request, reply) => {
    const { token } = parseInput(RevokeRequest, request.body)
    const ended = await revokeSession(db, token)
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie && ended.includes(hashToken(cookie)))
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true }
  })

  app.get('/api/auth/me', async (request) => ({ user: sessionUser(request) }))

  /**
   * The office ends every session of a user (a lost or stolen phone, someone leaving): the next
   * request from that phone is a 401. What is already on the phone stays until it signs out; see
   * SECURITY.md.
   */
  app.delete<{ Params: { id: string } }>('/api/dispatch/users/:id/sessions', async (request) => {
    requireRole(request, 'dispatcher')
    parseInput(NoBody, request.body)
    const params = v.safeParse(UserParams, request.params)
    if (!params.success) throw new HttpError(404, 'not_found', 'No user with this id.')
    const user = await db
      .selectFrom('users')
      .select('id')
      .where('id', '=', params.output.id)
      .executeTakeFirst()
    if (!user) throw new HttpError(404, 'not_found', 'No user with this id.')
    const deleted = await db
      .deleteFrom('sessions')
      .where('user_id', '=', user.id)
      .executeTakeFirst()
    return { revoked: Number(deleted.numDeletedRows) }
  })

  // A light connection probe for the app: no session, no database, never cached.
  app.get('/api/health', { config: { public: true } }, async () => ({
    ok: true,
    time: ctx.now().toISOString(),
  }))
}

/**
 * HttpOnly keeps the token away from scripts; SameSite=Lax blocks cross-site POSTs; Secure over
 * HTTPS. The long Max-Age is deliberate: technicians stay offline for days and must not come
 * back to a signed-out app with a full queue.
 */
function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  ttlSeconds: number,
): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: request.protocol === 'https',
    maxAge: ttlSeconds,
  })
}
