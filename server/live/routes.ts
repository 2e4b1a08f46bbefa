import type { FastifyInstance } from 'fastify'
import { sessionUser } from '../auth/guard'
import { hashToken, liveSessionIds, SESSION_COOKIE } from '../auth/sessions'
import type { AppContext } from '../context'
import { HttpError } from '../http/errors'
import { SECURITY_HEADERS } from '../http/headers'
import { EventStream } from './eventStream'
import { concerns } from './feed'

export const HEARTBEAT_MS = 25_000
export const COALESCE_MS = 250
/** Open streams per user on one instance: a page holds one; ten covers tabs and devices. */
export const MAX_STREAMS_PER_USER = 10
/** What EventSource waits before reconnecting by itself (the app closes and reopens it itself). */
const RETRY_MS = 10_000

/**
 * GET /api/sync/events: "your scope changed, pull", as server-sent events. Authenticated by the
 * session cookie like every /api route (the guard runs before this). It holds no database
 * connection and never queries: signals come from the change feed (feed.ts), so an idle stream
 * costs one socket and one heartbeat every 25 s. The limit per user is per instance, because the
 * count lives in memory. The session is checked when the stream opens and again at every
 * heartbeat (one query for all open streams): a stream whose session was signed out, revoked or
 * expired ends within one heartbeat, and its reconnection answers 401.
 */
export function registerLiveRoutes(app: FastifyInstance, ctx: AppContext): void {
  /** Each open stream → its user and session (the cookie token's hash, as stored). */
  const streams = new Map<EventStream, { userId: string; sessionId: string }>()
  const perUser = new Map<string, number>()
  const heartbeatMs = ctx.eventsHeartbeatMs ?? HEARTBEAT_MS
  const coalesceMs = ctx.eventsCoalesceMs ?? COALESCE_MS

  // Ends the streams whose session is no longer valid. A failing database ends nothing: the
  // pulls those streams trigger are refused anyway while a session is gone.
  const endSignedOut = async () => {
    const ids = [...new Set([...streams.values()].map((s) => s.sessionId))]
    if (ids.length === 0) return
    try {
      const live = await liveSessionIds(ctx.db.kysely, ids, ctx.now())
      for (const [stream, { sessionId }] of streams) if (!live.has(sessionId)) stream.end()
    } catch (err) {
      app.log.warn({ err }, 'could not check the sessions of open event streams')
    }
  }

  let beat: NodeJS.Timeout | undefined
  const startBeat = () => {
    beat ??= setInterval(() => {
      for (const stream of streams.keys()) stream.heartbeat()
      void endSignedOut()
    }, heartbeatMs)
  }

  // Before the server stops accepting and waits for requests in flight: a stream never ends by
  // itself, so it would hold a graceful stop until its timeout. Devices reconnect elsewhere.
  app.addHook('preClose', async () => {
    clearInterval(beat)
    beat = undefined
    for (const stream of [...streams.keys()]) stream.end()
  })

  // No HEAD twin (Fastify adds one to every GET): a HEAD ran this handler, took over the socket
  // and never answered (a HEAD's headers go out only at end()), holding one of the user's
  // stream slots; ten of them and the real stream was refused 429.
  app.head('/api/sync/events', async (_request, reply) =>
    reply
      .code(405)
      .header('Allow', 'GET')
      .send({ error: 'method_not_allowed', message: 'The live-changes stream is GET only.' }),
  )
  app.get('/api/sync/events', { exposeHeadRoute: false }, async (request, reply) => {
    const user = sessionUser(request)
    if (!ctx.accepting) {
      throw new HttpError(503, 'shutting_down', 'This server is shutting down.', {
        'Retry-After': '5',
      })
    }
    const open = perUser.get(user.id) ?? 0
    if (open >= MAX_STREAMS_PER_USER) {
      throw new HttpError(
        429,
        'too_many_streams',
        `At most ${MAX_STREAMS_PER_USER} live connections per user; close another tab or device.`,
        { 'Retry-After': '60' },
      )
    }

    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      // Some proxies (nginx) buffer answers unless told not to; a buffered signal is a late one.
      'X-Accel-Buffering': 'no',
      // The connection is the stream: when it ends (shutdown), the socket goes with it rather
      // than lingering as a kept-alive connection the stop would wait for.
      Connection: 'close',
    })
    res.write(`retry: ${RETRY_MS}\n\n`)

    const stream = new EventStream(res, coalesceMs)
    const sessionId = hashToken(request.cookies[SESSION_COOKIE] ?? '')
    streams.set(stream, { userId: user.id, sessionId })
    perUser.set(user.id, open + 1)
    startBeat()
    const unsubscribe = ctx.changes.subscribe((scope) => {
      if (concerns(scope, user)) stream.signal()
    })
    request.log.info({ userId: user.id, open: open + 1 }, 'event stream opened')

    res.once('close', () => {
      unsubscribe()
      stream.end()
      if (!streams.delete(stream)) return
      const left = (perUser.get(user.id) ?? 1) - 1
      if (left > 0) perUser.set(user.id, left)
      else perUser.delete(user.id)
      if (streams.size === 0) {
        clearInterval(beat)
        beat = undefined
      }
    })
  })
}
