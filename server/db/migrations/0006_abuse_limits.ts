import type { Kysely } from 'kysely'

/**
 * Abuse limits (issue 13, part 6). Dialect-neutral like the others: text ids, ISO-8601 text times.
 *
 * - `labels.created_by` / `labels.created_at`: who made a label and when, so label.create can be
 *   limited per user per day (mutations/labelCreate.ts). Null for labels made before this
 *   migration and for the seed's; those count against nobody. No foreign key: SQLite cannot
 *   drop a column that has one (down()), and users are never deleted.
 * - `sessions.revocation_hash`: sha256 of the revocation token a sign-in hands to the device, so
 *   a device that signed out offline can end the session later without the cookie
 *   (POST /api/auth/revoke). Null for sessions made before this migration.
 * - Indexes for the upload quota (unattached files per uploader in the last day) and for the
 *   purge of unattached files (by age).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('labels').addColumn('created_by', 'text').execute()
  await db.schema.alterTable('labels').addColumn('created_at', 'text').execute()
  await db.schema
    .createIndex('labels_created_by_created_at')
    .on('labels')
    .columns(['created_by', 'created_at'])
    .execute()

  await db.schema.alterTable('sessions').addColumn('revocation_hash', 'text').execute()
  await db.schema
    .createIndex('sessions_revocation_hash')
    .on('sessions')
    .column('revocation_hash')
    .execute()

  await db.schema
    .createIndex('attachment_files_uploaded_by_created_at')
    .on('attachment_files')
    .columns(['uploaded_by', 'created_at'])
    .execute()
  await db.schema
    .createIndex('attachment_files_created_at')
    .on('attachment_files')
    .column('created_at')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('attachment_files_created_at').execute()
  await db.schema.dropIndex('attachment_files_uploaded_by_created_at').execute()
  await db.schema.dropIndex('sessions_revocation_hash').execute()
  await db.schema.alterTable('sessions').dropColumn('revocation_hash').execute()
  await db.schema.dropIndex('labels_created_by_created_at').execute()
  await db.schema.alterTable('labels').dropColumn('created_at').execute()
  await db.schema.alterTable('labels').dropColumn('created_by').execute()
}
