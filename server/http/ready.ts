import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { AppContext } from '../context'
import { HttpError } from './errors'

/** How long the database may take to answer the readiness probe before it counts as down. */
const PROBE_TIMEOUT_MS = 2_000

/**
 * Readiness for a load balancer (GET /api/ready, no session): 200 when this instance can serve,
 * 503 while it is shutting down (so traffic moves to the other instances before it stops) or when
 * its database does not answer `select 1` within 2 s. /api/health stays the cheap liveness probe
 * the app polls (no database). A 503 here is the instance's state, never the client's fault.
 */
export function registerReadiness(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('preClose', async () => {
    ctx.accepting = false
  })
  // While stopping, each answer closes its connection: a kept-alive connection would otherwise
  // stay open (idle) until its keep-alive timeout and hold the stop that long.
  app.addHook('onSend', async (_request, reply) => {
    if (!ctx.accepting) reply.header('connection', 'close')
  })

  app.get('/api/ready', { config: { public: true } }, async () => {
    if (!ctx.accepting) {
      throw new HttpError(503, 'shutting_down', 'This server is shutting down.', {
        'Retry-After': '5',
      })
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), PROBE_TIMEOUT_MS)
    })
    const probe = sql`select 1 as one`.execute(ctx.db.kysely).then(
      () => 'ok' as const,
      () => 'failed' as const,
    )
    const outcome = await Promise.race([probe, timeout])
    clearTimeout(timer)
    if (outcome !== 'ok') {
      throw new HttpError(
        503,
        'database_unavailable',
        outcome === 'timeout'
          ? `The database did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`
          : 'The database is not answering.',
        { 'Retry-After': '5' },
      )
    }
    return { ok: true, database: ctx.db.dialect }
  })
}
