import { type Kysely, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely'
import { migrations } from './migrations/index'
import type { Database } from './schema'

const provider: MigrationProvider = { getMigrations: async () => migrations }

/**
/**
 * Migrations released under another name. The sign-in limiter's migration shipped on main as
 * 0003_signin_failures and was renamed 0004 when another branch's 0003 was merged; databases made
 * in between record the old name, and Kysely would refuse to start on them ("previously executed
 * migration 0003_signin_failures is missing"). Never again: released migrations are append-only
 * (tests/server/migrations.test.ts checks names and contents against released.json).
 */
const RENAMED: Record<string, string> = { '0003_signin_failures': '0004_signin_failures' }

/**
 * Brings the schema up to date; throws (with the failing migration's error) if one fails. A
 * migration merged later than one with a higher number is run when it arrives (unordered
 * migrations are allowed: each migration stands on its own, and a database made by any earlier
 * commit must start).
 *
 * On PostgreSQL the migrator's own tables are looked for in the connection's current schema
 * (search_path). Without that, Kysely takes a `kysely_migration` table of any other schema of the
 * database for its own (another Kysely app sharing the database, or another Fieldline company in
 * a schema of its own as `npm run fleet` makes them) and fails on the next step.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter
  const schema = postgres
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined
  await renameLegacy(db, schema)
  const { error, results } = await new Migrator({
    db,
    provider,
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) {
    const where = failed ? ` (migration ${failed.migrationName})` : ''
    throw new Error(`Database migration failed${where}: ${String(error)}`, { cause: error })
  }
}

/** Records of renamed migrations get today's name (a no-op on a new or up-to-date database). */
async function renameLegacy(db: Kysely<Database>, schema: string | undefined): Promise<void> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true })
  const ours = (t: { name: string; schema?: string }) =>
    t.name === 'kysely_migration' && (schema === undefined || t.schema === schema)
  if (!tables.some(ours)) return
  for (const [before, after] of Object.entries(RENAMED)) {
    await sql`update kysely_migration set name = ${after} where name = ${before}
      and not exists (select 1 from kysely_migration where name = ${after})`.execute(db)
  }
}
