import type { FastifyInstance } from 'fastify'
import { HttpError } from './errors'

/**
 * JSON bodies, parsed as Fastify does (secure-json-parse refusing `__proto__` and
 * `constructor.prototype` keys anywhere, which would otherwise reach code that copies objects),
 * but a body refused for such a key is told so: it is valid JSON, and "The body is not valid
 * JSON" sent a client (or the person reading its log) looking for a syntax error. Our own app
 * never sends such a key (field ids are UUIDs); a hostile client's push is refused whole.
 */
export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (err, value) => {
      if (err && (err as { code?: string }).code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        if (isJson(body as string)) {
          done(
            new HttpError(
              400,
              'forbidden_key',
              'The body holds a key named "__proto__", or "constructor" with "prototype" in it; the server refuses those anywhere in a body.',
            ),
            undefined,
          )
          return
        }
      }
      done(err, value)
    })
  })
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
