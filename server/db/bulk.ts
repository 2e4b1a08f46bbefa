import { CompiledQuery, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely'
import type { Dialect } from './connect'
import type { Database } from './schema'

/** PostgreSQL array types for the columns bulk inserts write (unnest needs them spelled out). */
export type PgColumnType = 'text' | 'bigint'

export interface BulkTable<T> {
  table: keyof Database & string
  /** Column names in order, with their PostgreSQL type. */
  columns: ReadonlyArray<readonly [keyof T & string, PgColumnType]>
}

/** Rows per statement on SQLite: 500 × 10 columns stays far below its 32,766 bind limit. */
const SQLITE_CHUNK = 500

/**
 * Inserts many rows with as few statements as the store allows, without the query builder: for
 * a push of 200 notes, building and compiling a 1,200-value INSERT was a visible part of each
 * batch's CPU, and PostgreSQL parsed and planned a statement with 1,200–2,000 parameters.
 *
 * PostgreSQL: one `INSERT … SELECT * FROM unnest($1::text[], …)`, one array parameter per
 * column, whatever the number of rows: the statement text never changes, so the server parses
 * a small statement, and the client serializes one array per column instead of a value each.
 * SQLite: multi-row VALUES, `?` per value; the text depends only on the row count, so the
 * statement cache (db/connect.ts) prepares it once per batch size.
 *
 * `suffix` is appended as is (e.g. an ON CONFLICT clause); it must not take parameters.
 */
export async function insertMany<T>(
  trx: Transaction<Database>,
  dialect: Dialect,
  spec: BulkTable<T>,
  rows: readonly T[],
  suffix = '',
): Promise<void> {
  if (rows.length === 0) return
  const names = spec.columns.map(([name]) => name)
  const head = `insert into ${spec.table} (${names.join(', ')})`
  const tail = suffix ? ` ${suffix}` : ''
  if (dialect === 'postgres') {
    const arrays = spec.columns.map(([name]) => rows.map((row) => row[name] ?? null))
    const params = spec.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
    await trx.executeQuery(
      CompiledQuery.raw(`${head} select * from unnest(${params})${tail}`, arrays),
    )
    return
  }
  const group = `(${names.map(() => '?').join(', ')})`
  for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
    const chunk = rows.slice(i, i + SQLITE_CHUNK)
    const values: unknown[] = []
    for (const row of chunk) for (const name of names) values.push(row[name] ?? null)
    const sql = `${head} values ${Array(chunk.length).fill(group).join(', ')}${tail}`
    await trx.executeQuery(CompiledQuery.raw(sql, values))
  }
}

/**
 * `column` is one of `ids`, as a WHERE condition. PostgreSQL: `= any($1)`, one array parameter
 * (a small statement to parse, whatever the number of ids); SQLite: `in (?, …)`.
 */
export function oneOf(
  dialect: Dialect,
  column: string,
  ids: readonly string[],
): RawBuilder<SqlBool> {
  if (dialect === 'postgres') return sql<SqlBool>`${sql.ref(column)} = any(${[...ids]})`
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(ids)})`
}
