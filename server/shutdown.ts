import type { FastifyInstance } from 'fastify'
import type { BlobStore } from './blobs/store'
import type { Db } from './db/connect'
import type { Maintenance } from './maintenance'

export interface Running {
  app: FastifyInstance
  db: Db
  blobs: BlobStore
  maintenance: Maintenance
}

/**
 * Stops an instance without cutting a batch in half (SIGTERM from an orchestrator, a deploy):
 *
 * 1. /api/ready turns 503 (the preClose hook in http/ready.ts) and the server stops accepting
 *    connections; a new request on a kept-alive connection is answered 503 with Connection:
 *    close (Fastify's return503OnClosing), which devices treat as "try again shortly";
 * 2. requests already in flight, pushes included, run to their answer: Fastify's close() waits
 *    for them; idle kept-alive connections are closed at once;
 *    live-changes streams (live/routes.ts) are ended first, in a preClose hook, since they would
 *    never finish by themselves (devices reconnect to another instance);
 * 3. then the change feed's LISTEN connection, the scheduled clean-up, the database pool and the
 *    blob store close.
 *
 * If that takes longer than `timeoutMs` (a request stuck on a lock), the caller exits anyway:
 * a push that has not committed is rolled back by the database when its connection goes, and the
 * device sends it again, so nothing is half applied. Resolves `true` when everything finished.
 */
export async function shutdown(running: Running, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
    timer.unref()
  })
  const clean = (async () => {
    await running.app.close()
    await running.maintenance.stop()
    await running.db.close()
    await running.blobs.close?.()
    return true as const
  })()
  const finished = await Promise.race([clean, timedOut])
  clearTimeout(timer)
  return finished
}
