import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, type Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { createTestDatabase, TEST_STORE, type TestDatabase } from './stores'

/**
 * A database whose other schema already holds Kysely's migration tables (another app, or another
 * company as `npm run fleet` makes them): migrating the current schema must still build it.
 */
describe.runIf(TEST_STORE === 'postgres')('migrations in a schema of their own', () => {
  let database: TestDatabase
  let other: Db
  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    await migrateToLatest(database.db.kysely)
    await database.db.kysely.schema.createSchema('company_two').execute()
    const url = new URL(database.url as string)
    url.searchParams.set('options', '-c search_path=company_two')
    other = connect({ url: url.toString() })
  })
  afterAll(async () => {
    await other?.close()
    await database?.drop()
  })

  it('builds every table in the current schema, and again does nothing', async () => {
    await migrateToLatest(other.kysely)
    await migrateToLatest(other.kysely)
    const tables = await other.kysely
      .selectFrom('information_schema.tables' as never)
      .select('table_name' as never)
      .where('table_schema' as never, '=', 'company_two' as never)
      .execute()
    const names = (tables as Array<{ table_name: string }>).map((t) => t.table_name)
    expect(names).toEqual(expect.arrayContaining(['jobs', 'notes', 'kysely_migration']))
    const ran = await other.kysely
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute()
    expect(ran.length).toBeGreaterThanOrEqual(7)
  })
})
