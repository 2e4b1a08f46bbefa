import type { Kysely } from 'kysely'

/**
 * The bytes of attachment files, for the PostgreSQL blob store (blobs/postgres.ts). Created on
 * SQLite too, where it stays empty (files live in a folder there), so both databases keep the
 * same schema. `bytea` is PostgreSQL's byte string; SQLite stores a Buffer as a BLOB whatever
 * the declared type.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachment_blobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachment_blobs').execute()
}
