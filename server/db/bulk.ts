import { CompiledQuery, type Transaction } from 'kysely'
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

/** One SQL statement and its parameters, `$n` placeholders on PostgreSQL and `?` on SQLite. */
export interface Statement {
  text: string
  params: unknown[]
}

/**
 * Inserts of many rows in as few statements as the store allows, built without the query
 * builder: for a push of 200 notes, building and compiling a 1,200-value INSERT was a visible
 * part of each batch's CPU, and PostgreSQL parsed and planned a statement with 1,200–2,000
 * parameters. PostgreSQL: one `INSERT … SELECT * FROM unnest($1::text[], …)`,
 * one array parameter per column, whatever the number of rows: the server parses a small
 * statement, and the client serializes one array per column instead of a value each. SQLite:
 * multi-row VALUES, `?` per value; the text depends only on the row count, so the statement
 * cache (db/connect.ts) prepares it once per batch size. None for no rows.
 *
 * `suffix` is appended as is (e.g. an ON CONFLICT clause); it must not take parameters.
 */
export function insertStatements<T>(
  dialect: Dialect,
  spec: BulkTable<T>,
  rows: readonly T[],
  suffix = '',
): Statement[] {
  if (rows.length === 0) return []
  const names = spec.columns.map(([name]) => name)
  const head = `insert into ${spec.table} (${names.join(', ')})`
  const tail = suffix ? ` ${suffix}` : ''
  if (dialect === 'postgres') {
    const params = spec.columns.map(([name]) => rows.map((row) => row[name] ?? null))
    const arrays = spec.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')
    return [{ text: `${head} select * from unnest(${arrays})${tail}`, params }]
  }
  const group = `(${names.map(() => '?').join(', ')})`
  const statements: Statement[] = []
  for (let i = 0; i < rows.length; i += SQLITE_CHUNK) {
    const chunk = rows.slice(i, i + SQLITE_CHUNK)
    const params: unknown[] = []
    for (const row of chunk) for (const name of names) params.push(row[name] ?? null)
    const text = `${head} values ${Array(chunk.length).fill(group).join(', ')}${tail}`
    statements.push({ text, params })
  }
  return statements
}

/**
 * Runs writes that do not read each other's results, in order. On PostgreSQL several become ONE
 * statement (all but the last as data-modifying WITH clauses), so a push's closing writes cost
 * one round trip instead of three. PostgreSQL runs them all against one snapshot and checks
 * constraints at the end of the statement: fine for inserts and updates of different rows, not
 * for a write that must see another's (those go in separate calls). SQLite: one by one (no
 * round trips to save).
 */
export async function runStatements(
  trx: Transaction<Database>,
  dialect: Dialect,
  statements: readonly Statement[],
): Promise<void> {
  if (dialect === 'postgres' && statements.length > 1) {
    const params: unknown[] = []
    const texts = statements.map((s) => {
      const offset = params.length
      params.push(...s.params)
      return s.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)
    })
    const last = texts.pop()
    const ctes = texts.map((text, i) => `w${i} as (${text})`).join(', ')
    await trx.executeQuery(CompiledQuery.raw(`with ${ctes} ${last}`, params))
    return
  }
  for (const s of statements) await trx.executeQuery(CompiledQuery.raw(s.text, s.params))
}
