import type { FastifyInstance } from 'fastify'
import type { User } from '../../protocol/auth'
import type { AppContext } from '../context'
import { HttpError } from '../http/errors'
import { isPublicPath } from '../http/routes'
import { findSessionUser, SESSION_COOKIE } from './sessions'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set by the guard on every non-public /api route. */
    user: User | null
  }
  interface FastifyContextConfig {
    /** Routes that answer without a session (sign-in, health). */
    public?: boolean
  }
}

/**
 * Every /api request needs a valid, unexpired session, except routes marked `config.public`.
 * Unknown /api paths are guarded too, so probing them without a session says 401, not 404.
 */
export function registerAuthGuard(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('user', null)
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return
    if (request.routeOptions.config?.public) return
    // No route for this method, at a path whose routes are all public: the 405 needs no session.
    if (request.is404 && isPublicPath(app.routeList, request.url)) return
    const token = request.cookies[SESSION_COOKIE]
    const user = token ? await findSessionUser(ctx.db.kysely, token, ctx.now()) : null
    if (!user) throw new HttpError(401, 'unauthenticated', 'Sign in to continue.')
    request.user = user
  })
}

/** The session user of a guarded route (the guard guarantees there is one). */
export function sessionUser(request: { user: User | null }): User {
  if (!request.user) throw new HttpError(401, 'unauthenticated', 'Sign in to continue.')
  return request.user
}

/** Throws 403 unless the session user has the role. */
export function requireRole(request: { user: User | null }, role: User['role']): User {
  const user = sessionUser(request)
  if (user.role !== role) {
    throw new HttpError(403, 'forbidden', `Only a ${role} may do this.`)
  }
  return user
}
