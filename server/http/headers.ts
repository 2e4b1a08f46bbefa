import type { FastifyInstance } from 'fastify'

/**
 * The app ships no inline scripts or styles and talks only to its own origin, so the policy can
 * be strict. camera=(self) lets the technician take job photos; geolocation is not used.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Permissions-Policy': 'camera=(self), geolocation=()',
}

/**
 * Security headers on every answer, and no-store on the API: what the device keeps offline is
 * decided by the app's own database and service worker, never by the HTTP cache.
 */
export function registerHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) reply.header(name, value)
    // A route may set its own (files say `private, no-store`); the default is no-store.
    if (
      (request.url.startsWith('/api/') || request.url === '/api') &&
      !reply.hasHeader('Cache-Control')
    ) {
      reply.header('Cache-Control', 'no-store')
    }
    return payload
  })
}
