import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { createTestDatabase, TEST_STORE, type TestDatabase } from './stores'

interface Column {
  table: string
  column: string
  type: string
  notNull: boolean
  pk: boolean
}

/**
 * The same migrations give the same schema on SQLite and PostgreSQL: tables, columns, declared
 * types, NOT NULL, primary keys and named indexes. Needs both stores at once, so it runs in the
 * server-postgres project only.
 */
describe.runIf(TEST_STORE === 'postgres')('schema on both stores', () => {
  let sqlite: TestDatabase
  let postgres: TestDatabase
  beforeAll(async () => {
    sqlite = await createTestDatabase('sqlite')
    postgres = await createTestDatabase('postgres')
    await migrateToLatest(sqlite.db.kysely)
    await migrateToLatest(postgres.db.kysely)
  })
  afterAll(async () => {
    await sqlite?.drop()
    await postgres?.drop()
  })

  it('has the same tables, columns, types, keys and indexes', async () => {
    const a = await sqliteColumns(sqlite.db)
    const b = await postgresColumns(postgres.db)
    expect(a.length).toBeGreaterThan(100)
    expect(b).toEqual(a)
    expect(await postgresIndexes(postgres.db)).toEqual(await sqliteIndexes(sqlite.db))
  })
})

const sortColumns = (rows: Column[]) =>
  rows.sort((x, y) => `${x.table}.${x.column}`.localeCompare(`${y.table}.${y.column}`))

async function sqliteColumns(db: Db): Promise<Column[]> {
  const { rows } = await sql<{
    table: string
    column: string
    type: string
    notnull: number
    pk: number
  }>`select m.name as "table", p.name as "column", p.type as type, p."notnull" as "notnull", p.pk as pk
     from sqlite_master m join pragma_table_info(m.name) p
     where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like 'kysely_%'`.execute(
    db.kysely,
  )
  // A SQLite primary key column may hold NULL (a legacy quirk) but ours never do.
  return sortColumns(
    rows.map((r) => ({
      table: r.table,
      column: r.column,
      type: r.type.toLowerCase(),
      notNull: r.notnull === 1 || r.pk > 0,
      pk: r.pk > 0,
    })),
  )
}

async function postgresColumns(db: Db): Promise<Column[]> {
  const { rows } = await sql<{
    table: string
    column: string
    type: string
    nullable: string
    pk: boolean
  }>`select c.table_name as "table", c.column_name as "column", c.data_type as type,
       c.is_nullable as nullable,
       exists (select 1 from information_schema.table_constraints t
         join information_schema.key_column_usage k
           on k.constraint_name = t.constraint_name and k.table_name = t.table_name
         where t.constraint_type = 'PRIMARY KEY' and t.table_name = c.table_name
           and k.column_name = c.column_name) as pk
     from information_schema.columns c
     where c.table_schema = current_schema() and c.table_name not like 'kysely_%'`.execute(
    db.kysely,
  )
  return sortColumns(
    rows.map((r) => ({
      table: r.table,
      column: r.column,
      type: r.type,
      notNull: r.nullable === 'NO',
      pk: r.pk,
    })),
  )
}

async function sqliteIndexes(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from sqlite_master
    where type = 'index' and name not like 'sqlite_%' and tbl_name not like 'kysely_%'`.execute(
    db.kysely,
  )
  return rows.map((r) => r.name).sort()
}

/** Named indexes only: PostgreSQL names the ones behind PRIMARY KEY / UNIQUE itself. */
async function postgresIndexes(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select i.indexname as name from pg_indexes i
    where i.schemaname = current_schema() and i.tablename not like 'kysely_%'
      and not exists (select 1 from pg_constraint k where k.conname = i.indexname)`.execute(
    db.kysely,
  )
  return rows.map((r) => r.name).sort()
}
