import { sql, type Transaction } from 'kysely'
import type { Dialect } from './connect'
import type { Database } from './schema'

export interface ByIds<C extends string> {
  table: keyof Database & string
  /** The column the ids are matched against (with `scope`, the table's key). */
  key: string
  ids: readonly string[]
  columns: readonly C[]
  /** Another equality the rows must meet, e.g. the user a processed record belongs to. */
  scope?: { column: string; value: string }
  /** Lock the rows found until the transaction ends (FOR UPDATE; PostgreSQL only). */
  lock?: boolean
}

/**
 * The rows whose `key` is one of `ids`, by one index lookup per id on PostgreSQL, whatever its
 * statistics say. Why not `key = any($1)`: with 200 ids the planner judged the 200 lookups
 * dearer than reading everything, and read everything. Seen in the push bench (server auto_explain,
 * 2026-12-03): the processed-records read scanned all of the user's ~20,000 records (its
 * statistics were from when the table was young) and the note ids were checked by a sequential
 * scan of every note, 4–6 ms a batch each, growing with the tables, against about 1 ms for the
 * lookups. A LATERAL subquery with LIMIT 1 is not flattened into a join, so each id is one probe
 * of the key's index. Locked rows are locked in the order of `ids`, sorted here, so two pushes
 * always take their locks in the same order and never wait for each other both ways.
 *
 * SQLite plans `in (…)` as one lookup per value anyway.
 */
export async function rowsByIds<R extends object>(
  trx: Transaction<Database>,
  dialect: Dialect,
  q: ByIds<keyof R & string>,
): Promise<R[]> {
  if (q.ids.length === 0) return []
  const columns = sql.join(q.columns.map((c) => sql.ref(c)))
  const col = (name: string) => sql.ref(`${q.table}.${name}`)
  const scope = q.scope ? sql`${col(q.scope.column)} = ${q.scope.value} and ` : sql``
  if (dialect === 'postgres') {
    const ids = [...q.ids].sort()
    const lock = q.lock ? sql` for update` : sql``
    const { rows } = await sql<R>`select p.* from unnest(cast(${ids} as text[])) as k(id)
      cross join lateral (select ${columns} from ${sql.table(q.table)}
        where ${scope}${col(q.key)} = k.id limit 1${lock}) as p`.execute(trx)
    return rows
  }
  const { rows } = await sql<R>`select ${columns} from ${sql.table(q.table)}
    where ${scope}${col(q.key)} in (${sql.join([...q.ids])})`.execute(trx)
  return rows
}
