import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { apiError } from './errors'

/**
 * A request body in an encoding the server does not decode (gzip, br, …) is refused with 415. It
 * used to be read as if plain: `{}` sent as "gzip" was accepted, real gzip was "not valid JSON",
 * and neither told the client what was wrong. (Answers are compressed, see compress.ts; request
 * bodies never are: a device's pushes are small and a photo is compressed already.)
 */
export function registerRequestEncodingCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const encoding = String(request.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase()
    if (!encoding || encoding === 'identity') return
    const hasBody =
      request.headers['transfer-encoding'] !== undefined ||
      Number(request.headers['content-length'] ?? 0) > 0
    if (!hasBody) return
    return reply
      .code(415)
      .send(
        apiError(
          'unsupported_encoding',
          'Send the body uncompressed: Content-Encoding is not accepted on requests.',
        ),
      )
  })
}

/**
 * Errors Fastify raises before any route runs: a path that is not valid percent-encoding. Same
 * {error, message} shape as every other answer, not Fastify's own.
 */
export function frameworkErrors(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_BAD_URL') {
    reply.code(400).send(apiError('bad_url', 'The address is not valid: check its % escapes.'))
    return
  }
  reply.code(400).send(apiError('bad_request', 'The request could not be read.'))
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers too large, a malformed
 * request line): answered in the same {error, message} shape, then the connection is closed.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy()
    return
  }
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400
  const body = JSON.stringify(
    status === 431
      ? apiError('headers_too_large', 'The request headers are too large.')
      : status === 408
        ? apiError('request_timeout', 'The request took too long to arrive.')
        : apiError('bad_request', 'The request could not be read.'),
  )
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  )
}

/**
 * A request-target in absolute form (`GET http://host/api/auth/me`, what a client sends to a
 * forward proxy, and which a server must accept: RFC 9112 3.2.2) as the origin form the routes
 * and hooks read (`/api/auth/me`). Left absolute, it reached its route, but every hook that
 * recognises the API by `request.url.startsWith('/api/')` passed it by: the session guard (a
 * valid session was answered 401 by the handler), the Origin check, the API's no-store header
 * and the sign-in's no-compression rule. Used as Fastify's rewriteUrl, before routing.
 */
export function originForm(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)
  if (!scheme) return url
  const rest = url.slice(scheme[0].length)
  const at = rest.search(/[/?#]/)
  if (at < 0) return '/'
  const target = rest.slice(at)
  return target.startsWith('/') ? target : `/${target}`
}
