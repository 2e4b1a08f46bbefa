import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

/**
 * How long ago an action may have been made (its `at`) and still be applied. A device can stay
 * offline for days and resend a batch whose answer it never got; as long as the id is remembered
 * the resend is a 'duplicate'. 90 days is far beyond any realistic offline stretch (the device
 * clears local data older than 30 days anyway), so a forgotten id can only belong to a queue long
 * gone. An older action never seen is refused `too_old` (applyBatch.ts).
 */
export const PROCESSED_RETENTION_DAYS = 90

/**
 * How far ahead of the server's clock an action's `at` may be. `at` is the device's clock, and
 * too_old trusts it: an action stamped far ahead stayed "recent" after its id was purged, so a
 * captured batch could be replayed and applied again. Beyond this it is refused `clock_ahead`.
 * Two days: a clock set by hand to the right local time in the wrong time zone is off by up to
 * 26 hours (offsets run from UTC-12 to UTC+14), and such a technician should not be stopped; a
 * wider allowance only keeps processed ids longer (below).
 */
export const CLOCK_AHEAD_ALLOWANCE_DAYS = 2

/**
 * How long a processed id is kept after it was processed: the too_old horizon plus the
 * allowance. An action applied at T may be dated up to T + allowance, and becomes too_old only
 * once the server's clock passes that date + 90 days; its id must be remembered until then, or a
 * replay in between would apply again.
 */
export const PROCESSED_KEEP_DAYS = PROCESSED_RETENTION_DAYS + CLOCK_AHEAD_ALLOWANCE_DAYS

/**
 * Deletes processed_mutations older than PROCESSED_KEEP_DAYS; returns how many. Run at start and
 * every few hours by server/maintenance.ts. A mutation made before the too_old horizon is refused
 * (applyBatch.ts), so a batch captured before a purge cannot apply again after it.
 */
export async function purgeProcessedMutations(db: Kysely<Database>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - PROCESSED_KEEP_DAYS * 86_400_000).toISOString()
  const result = await db
    .deleteFrom('processed_mutations')
    .where('processed_at', '<', cutoff)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
