import type { Transaction } from 'kysely'
import type { Dialect } from '../db/connect'
import type { Database } from '../db/schema'
import { HttpError } from '../http/errors'

/**
 * An upload not attached (no attachment.add naming it) within this long is deleted by
 * purgeUnattachedUploads (blobs/purge.ts). The device pushes attachment.add right after the
 * bytes, so a day is far more than a real upload needs, even on a bad link.
 */
export const UNATTACHED_TTL_MS = 24 * 60 * 60 * 1000
/**
 * What one user may have uploaded and not attached within the last day. A technician's device
 * attaches each file seconds after uploading it, so in normal use this stays at 0 or 1; the
 * caps stop an account (or a stolen session) from filling the server's disk with bytes that
 * no job ever refers to.
 */
export const MAX_UNATTACHED_FILES = 100
export const MAX_UNATTACHED_BYTES = 200 * 1024 * 1024

/**
 * Inside the upload's transaction, after its own attachment_files row was inserted: refuses the
 * upload (the transaction rolls back, no bytes are written) when the user's unattached uploads
 * of the last day, this one included, are over either cap.
 *
 * 413, not 429: the device keeps a 429 queued and stops the whole upload run to retry later,
 * which would stall every action queued after the photo, with no word to the technician. A 413
 * marks just that photo Failed, with this sentence, in Offline Actions, and the rest go on.
 *
 * Call lockUploader first in the same transaction, so that concurrent uploads of one user
 * count one after the other.
 */
export async function checkUploadQuota(
  trx: Transaction<Database>,
  userId: string,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - UNATTACHED_TTL_MS).toISOString()
  const row = await trx
    .selectFrom('attachment_files as f')
    .leftJoin('attachments as a', 'a.id', 'f.id')
    .select((eb) => [eb.fn.countAll().as('files'), eb.fn.sum('f.size').as('bytes')])
    .where('f.uploaded_by', '=', userId)
    .where('f.created_at', '>', since)
    .where('a.id', 'is', null)
    .executeTakeFirstOrThrow()
  const files = Number(row.files)
  const bytes = Number(row.bytes ?? 0)
  if (files > MAX_UNATTACHED_FILES || bytes > MAX_UNATTACHED_BYTES) {
    throw new HttpError(
      413,
      'upload_quota',
      `Too many photos and files are uploaded but not yet saved to a job (at most ${MAX_UNATTACHED_FILES} files or ${MAX_UNATTACHED_BYTES / 1024 / 1024} MB a day). Retry later: uploads that were never saved to a job are cleared after a day.`,
    )
  }
}

/**
 * Locks the uploader's row until the upload commits, on PostgreSQL: two uploads of one user on
 * two instances then count one after the other, each seeing the other's row, so a burst cannot
 * slip past the cap together. FOR NO KEY UPDATE does not block the key-share locks that inserts
 * referencing the user (a push's notes) take. SQLite runs one transaction at a time anyway.
 * The lock is held while the bytes are written: one user's uploads go one at a time.
 */
export async function lockUploader(
  trx: Transaction<Database>,
  dialect: Dialect,
  userId: string,
): Promise<void> {
  if (dialect !== 'postgres') return
  await trx.selectFrom('users').select('id').where('id', '=', userId).forNoKeyUpdate().execute()
}
