import type { FastifyInstance, FastifyRequest } from 'fastify'
import { HttpError } from './errors'

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

const crossSite = () =>
  new HttpError(
    403,
    'cross_origin',
    'This request came from another website and was refused. Open Fieldline at its own address and try again.',
  )

/**
 * A second line against cross-site request forgery, besides the SameSite=Lax cookie: a
 * state-changing /api request (POST, PUT, PATCH, DELETE) is refused with 403 before anything
 * else runs (the session guard included) when the browser says it came from another site:
 *
 * - `Origin` is present and its host (name and port) is not the request's own host. The own
 *   host is the Host header, or X-Forwarded-Host when it came from a proxy listed in
 *   TRUST_PROXY (Fastify's request.host). `Origin: null` (sandboxed frames, some redirects) is
 *   refused too.
 * - `Sec-Fetch-Site: cross-site`.
 *
 * Browsers send Origin on every POST/PUT/PATCH/DELETE, same-origin fetches included, so the app
 * itself always passes the check by matching. Requests without Origin (curl, scripts, the
 * office's integrations, Node's fetch) pass: they carry no victim's cookie, so they are not
 * forgery. The scheme is not compared: behind a TLS proxy not listed in TRUST_PROXY the server
 * sees http while the page is https.
 *
 * Why both, when SameSite=Lax already keeps the cookie off cross-site POSTs: SameSite treats
 * every subdomain of one registrable domain as the same site (a compromised
 * `blog.example.com` could post to `fieldline.example.com` with the cookie), older browsers
 * ignore it, and the sign-in and revoke routes need no cookie at all (login CSRF).
 */
export function registerOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return
    if (request.url !== '/api' && !request.url.startsWith('/api/')) return
    if (request.headers['sec-fetch-site'] === 'cross-site') throw crossSite()
    const origin = request.headers.origin
    if (origin === undefined) return
    if (!sameHost(origin, request)) throw crossSite()
  })
}

/** Origin's host and port against the request's own, the port defaulting by the origin's scheme. */
function sameHost(origin: string, request: FastifyRequest): boolean {
  try {
    const from = new URL(origin)
    if (from.protocol !== 'http:' && from.protocol !== 'https:') return false
    const own = new URL(`${from.protocol}//${request.host}`)
    const port = (u: URL) => u.port || (u.protocol === 'https:' ? '443' : '80')
    return (
      from.hostname === own.hostname &&
      port(from) === port(own) &&
      own.pathname === '/' &&
      own.username === ''
    )
  } catch {
    // Origin: null, or a Host that is not a host: nothing to match.
    return false
  }
}
