import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import { MAX_PUSH_BYTES, PushRequest } from '../../protocol/sync'
import { sessionUser } from '../auth/guard'
import type { AppContext } from '../context'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { decodeCursor } from './cursor'
import { pull } from './pull'
import { push } from './push'

const PullQuery = v.strictObject({ cursor: v.optional(v.pipe(v.string(), v.maxLength(64))) })

export function registerSyncRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/sync/pull', async (request) => {
    const user = sessionUser(request)
    const { cursor: text } = parseInput(PullQuery, request.query)
    const cursor = text ? decodeCursor(text) : null
    if (text && !cursor) {
      throw new HttpError(
        400,
        'invalid_cursor',
        'The cursor is not one this server made; pull without it.',
      )
    }
    return pull(ctx.db.kysely, user, cursor, ctx.now())
  })

  app.post('/api/sync/push', { bodyLimit: MAX_PUSH_BYTES }, async (request) => {
    const user = sessionUser(request)
    const body = parseInput(PushRequest, request.body)
    return push(ctx.db, user, body, ctx.now(), request.log)
  })
}
