import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { UNATTACHED_TTL_MS } from './quota'
import type { BlobStore } from './store'

/** Rows deleted per transaction: the counter lock it holds blocks pushes, so keep it short. */
const CHUNK = 100

/**
 * Deletes uploads that no attachment refers to and that are older than a day: their
 * attachment_files row and their bytes. Returns how many went. Run at start-up (main.ts) and
 * now and then; it is idempotent and safe on several instances at once.
 *
 * Why it cannot delete a file that is being attached: each chunk runs in a transaction that
 * first takes the revision counter's row lock, which every push takes before it applies
 * anything (sync/revs.ts). A push attaching one of these files commits before the purge looks,
 * or starts after the purge committed (and is then refused `file_missing`: Retry in Offline
 * Actions uploads the file again). The bytes are deleted before the rows commit, while the rows
 * are locked by the delete, so a re-upload of the same id waits and then writes fresh bytes.
 * Limit: if the commit itself fails after the bytes went, the rows come back without bytes
 * (GET answers 404); they are unattached and a day old, and the next purge removes them.
 */
export async function purgeUnattachedUploads(
  db: Kysely<Database>,
  blobs: BlobStore,
  now: Date,
): Promise<number> {
  const cutoff = new Date(now.getTime() - UNATTACHED_TTL_MS).toISOString()
  let total = 0
  for (;;) {
    const ids = await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('counters')
        .set((eb) => ({ value: eb.ref('value') }))
        .where('name', '=', 'rev')
        .execute()
      const candidates = await trx
        .selectFrom('attachment_files')
        .select('id')
        .where('created_at', '<=', cutoff)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('attachments')
                .select('attachments.id')
                .whereRef('attachments.id', '=', 'attachment_files.id'),
            ),
          ),
        )
        .orderBy('created_at')
        .limit(CHUNK)
        .execute()
      if (candidates.length === 0) return []
      const deleted = await trx
        .deleteFrom('attachment_files')
        .where(
          'id',
          'in',
          candidates.map((c) => c.id),
        )
        .returning('id')
        .execute()
      for (const { id } of deleted) await blobs.delete(id)
      return deleted.map((d) => d.id)
    })
    total += ids.length
    if (ids.length < CHUNK) return total
  }
}
