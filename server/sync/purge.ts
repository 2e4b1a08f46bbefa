import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

/**
 * How long a processed mutation id is remembered. A device can stay offline for days and resend
 * a batch whose answer it never got; as long as the id is remembered the resend is a
 * 'duplicate'. 90 days is far beyond any realistic offline stretch (the device clears local data
 * older than 30 days anyway), so a forgotten id can only belong to a queue long gone.
 */
export const PROCESSED_RETENTION_DAYS = 90

/**
 * Deletes processed_mutations older than the retention; returns how many. Run at start and every
 * few hours by server/maintenance.ts. A mutation made before the same horizon is refused
 * (`too_old`, applyBatch.ts), so a batch captured before a purge cannot apply again after it.
 */
export async function purgeProcessedMutations(db: Kysely<Database>, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - PROCESSED_RETENTION_DAYS * 86_400_000).toISOString()
  const result = await db
    .deleteFrom('processed_mutations')
    .where('processed_at', '<', cutoff)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
