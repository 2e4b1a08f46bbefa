import type { Kysely } from 'kysely'

/**
 * Failed sign-ins, for the sign-in rate limit (server/auth/rateLimit.ts). In the database, not in
 * memory, so several server instances behind one address count the same attempts. One row per
 * failure and per key: `email:<address>` and `ip:<address>`. Rows older than the window are
 * deleted as the limiter goes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signin_failures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('signin_failures_key_at')
    .on('signin_failures')
    .columns(['key', 'at'])
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signin_failures').execute()
}
