import { type Kysely, type MigrationProvider, Migrator } from 'kysely'
import { migrations } from './migrations/index'
import type { Database } from './schema'

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** Brings the schema up to date; throws (with the failing migration's error) if one fails. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) {
    const where = failed ? ` (migration ${failed.migrationName})` : ''
    throw new Error(`Database migration failed${where}: ${String(error)}`, { cause: error })
  }
}
