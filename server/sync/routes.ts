import type { FastifyInstance } from 'fastify'
import * as v from 'valibot'
import type { User } from '../../protocol/auth'
import {
  MAX_PUSH_BYTES,
  PushRequest,
  type PushResponse,
  type ReceivedPush,
  unreadable,
} from '../../protocol/sync'
import { sessionUser } from '../auth/guard'
import type { AppContext } from '../context'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import type { ChangeScope } from '../live/feed'
import { decodeCursor } from './cursor'
import { requestProtocol } from './protocolVersion'
import { pull } from './pull'
import { pageLimits } from './pullPage'
import { push } from './push'
import { DEFAULT_PUSH_CONCURRENCY, PushGate } from './pushGate'
import { upgradePush } from './upgrade'

// A page cursor is base64 JSON of where the pull stands (cursor.ts): a few hundred characters.
const PullQuery = v.strictObject({ cursor: v.optional(v.pipe(v.string(), v.maxLength(1024))) })

export function registerSyncRoutes(app: FastifyInstance, ctx: AppContext): void {
  const limits = pageLimits(ctx.pullPageRows)
  const gate = new PushGate(ctx.pushConcurrency ?? DEFAULT_PUSH_CONCURRENCY)

  app.get('/api/sync/pull', async (request) => {
    const user = sessionUser(request)
    // Versions 1 and 2 pull the same shape; the check is what makes an app too old to push
    // also stop pulling rows it may no longer understand.
    requestProtocol(request)
    const { cursor: text } = parseInput(PullQuery, request.query)
    const cursor = text ? decodeCursor(text) : null
    if (text && !cursor) {
      throw new HttpError(
        400,
        'invalid_cursor',
        'The cursor is not one this server made; pull without it.',
      )
    }
    const answer = await pull(ctx.db.kysely, user, cursor, ctx.now(), limits)
    request.log.info(
      {
        userId: user.id,
        resumed: text?.startsWith('p.') ?? false,
        rows: Object.values(answer.changes).reduce((n, rows) => n + rows.length, 0),
        removed: answer.removed.length,
        more: answer.more,
      },
      'pull',
    )
    return answer
  })

  app.post('/api/sync/push', { bodyLimit: MAX_PUSH_BYTES }, async (request) => {
    const user = sessionUser(request)
    const protocol = requestProtocol(request)
    const parsed = parseInput(PushRequest, request.body)
    // An action newer than the request that carries it is answered on its own, like any action
    // the server cannot read (protocol/sync.ts).
    const body: ReceivedPush = {
      ...parsed,
      mutations: parsed.mutations.map((m) =>
        m.invalid === undefined && (m.v ?? 1) > protocol
          ? unreadable(m, `v is newer than the protocol the request speaks (${protocol})`)
          : m,
      ),
    }
    const upgraded = upgradePush(body)
    const answer = await gate.run(() =>
      push(ctx.db, user, upgraded.request, ctx.now(), request.log, upgraded.earlierHashes),
    )
    const count = (status: string) => answer.results.filter((r) => r.status === status).length
    const scope = pushScope(user, body, answer)
    if (scope) ctx.changes.publish(scope)
    request.log.info(
      {
        userId: user.id,
        deviceId: body.deviceId,
        protocol,
        batch: body.mutations.length,
        applied: count('applied'),
        duplicate: count('duplicate'),
        rejected: count('rejected'),
        conflict: count('conflict'),
      },
      'push',
    )
    return answer
  })
}

/**
 * Whom a committed push concerns (null: nothing applied, nothing to say). A technician may only
 * write their own jobs (mutations/jobAccess.ts), so their push concerns their own other devices
 * and the office (dispatchers take every signal); a new label goes to every device. A
 * dispatcher's push may touch anyone's job: everyone (a rare case, not worth a lookup).
 */
function pushScope(user: User, body: ReceivedPush, answer: PushResponse): ChangeScope | null {
  const applied = new Set(answer.results.filter((r) => r.status === 'applied').map((r) => r.id))
  if (applied.size === 0) return null
  if (user.role === 'dispatcher') return 'everyone'
  const label = body.mutations.some((m) => m.name === 'label.create' && applied.has(m.id))
  return label ? 'everyone' : { users: [user.id] }
}
