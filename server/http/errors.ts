import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify'
import type { ApiError } from '../../protocol/auth'
import { methodsAt } from './routes'
import type { SpaFallback } from './static'

/** Thrown by handlers for an expected failure; the error handler turns it into an ApiError. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra headers for the answer, e.g. Retry-After on a 429. */
    readonly headers: Record<string, string> = {},
    /** Machine-readable facts beside `error` and `message`, e.g. the versions a 426 accepts. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export function apiError(error: string, message: string): ApiError {
  return { error, message }
}

/** Fastify's own request errors (body parsing, limits) as ApiError codes and sentences. */
function describeFastifyError(err: FastifyError, request: FastifyRequest): ApiError {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return apiError('invalid_json', 'The body is not valid JSON.')
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return apiError('invalid_json', 'The body is empty but Content-Type says JSON.')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return apiError(
        'payload_too_large',
        `The body is larger than this endpoint accepts (${request.routeOptions.bodyLimit} bytes).`,
      )
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return apiError('unsupported_media_type', 'Send the body as application/json.')
    default:
      return apiError('bad_request', err.message)
  }
}

/**
 * Every 4xx/5xx answer is an ApiError {error, message}. Unexpected errors are logged and answered
 * with a generic 500; a push that failed this way was rolled back whole and the device retries it.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | HttpError, request, reply) => {
    if (err instanceof HttpError) {
      return reply
        .code(err.statusCode)
        .headers(err.headers)
        .send({ ...err.details, ...apiError(err.code, err.message) })
    }
    const status = err.statusCode ?? 500
    if (status < 400 || status >= 500) {
      request.log.error(err)
      return reply.code(500).send(apiError('internal', 'Something went wrong on the server.'))
    }
    return reply.code(status).send(describeFastifyError(err, request))
  })
}

/**
 * Unknown routes: the SPA fallback for page loads when the app is served; an API path that exists
 * with other methods, 405 with Allow (a PUT to /api/sync/push once answered "No route", which
 * reads as a server without sync); else a 404 ApiError.
 */
export function registerNotFoundHandler(app: FastifyInstance, fallback: SpaFallback | null): void {
  app.setNotFoundHandler((request, reply) => {
    if (fallback?.(request, reply)) return
    const allowed = methodsAt(app.routeList, request.url)
    if (allowed.length > 0) {
      const path = request.url.split('?', 1)[0]
      reply
        .code(405)
        .header('Allow', allowed.join(', '))
        .send(
          apiError(
            'method_not_allowed',
            `${request.method} is not a method of ${path}; it takes ${allowed.join(', ')}.`,
          ),
        )
      return
    }
    reply.code(404).send(apiError('not_found', `No route for ${request.method} ${request.url}.`))
  })
}
