import type { Kysely } from 'kysely'
import { purgeOldSigninFailures } from './auth/rateLimit'
import { purgeExpiredSessions } from './auth/sessions'
import { purgeUnattachedUploads } from './blobs/purge'
import type { BlobStore } from './blobs/store'
import type { Database } from './db/schema'
import { purgeProcessedMutations } from './sync/purge'

/** How often the clean-up runs while the server is up (and once at start). */
export const MAINTENANCE_EVERY_MS = 6 * 60 * 60 * 1000

export interface MaintenanceReport {
  processedMutations: number
  unattachedUploads: number
}

export interface Maintenance {
  /** The run started at start-up; resolves when it is done. */
  first: Promise<MaintenanceReport>
  /** No more runs; resolves when a run under way has finished (a stop must not cut one). */
  stop(): Promise<void>
}

/**
 * Deletes what the server keeps only for a while: processed mutation ids past their retention
 * (sync/purge.ts), uploads never attached within a day (blobs/purge.ts), expired sessions,
 * sign-in failures out of their window. Runs at start and
 * every `everyMs`; on several instances each runs it, which is harmless (plain DELETEs by age).
 * A failed run is logged and tried again next time; it never stops the server.
 */
export function startMaintenance(
  db: Kysely<Database>,
  blobs: BlobStore,
  now: () => Date,
  log: { error(obj: unknown, msg: string): void },
  everyMs = MAINTENANCE_EVERY_MS,
): Maintenance {
  const run = async (): Promise<MaintenanceReport> => {
    const at = now()
    const processedMutations = await purgeProcessedMutations(db, at)
    const unattachedUploads = await purgeUnattachedUploads(db, blobs, at)
    await purgeExpiredSessions(db, at)
    await purgeOldSigninFailures(db, at)
    return { processedMutations, unattachedUploads }
  }
  let running: Promise<unknown> = Promise.resolve()
  const safely = () => {
    const pass = run().catch((err: unknown) => {
      log.error({ err }, 'maintenance run failed; it runs again later')
      return { processedMutations: 0, unattachedUploads: 0 }
    })
    running = pass
    return pass
  }
  const first = safely()
  const timer = setInterval(() => void safely(), everyMs)
  timer.unref()
  return {
    first,
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
