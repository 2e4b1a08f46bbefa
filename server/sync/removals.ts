import type { Kysely } from 'kysely'
import type { EntityTable } from '../../protocol/entities'
import type { Removal } from '../../protocol/sync'
import { JOB_CHILD_TABLES } from '../db/restamp'
import type { Database } from '../db/schema'
import { jobsWithAppointmentIn } from './scope'

export interface RemovalRead {
  technicianId: string
  /** Tombstones in (sinceRev, untilRev]: the stream's own revision bounds them. */
  sinceRev: number
  untilRev: number
  after: [number, string, string] | null
  limit: number
  window: { from: string; to: string }
}

/**
 * One page's worth of the technician's tombstones, in primary-key order (technician_id, rev,
 * table_name, entity_id), and the key of the last one read. A row the technician holds again
 * now (the job was reassigned away and back, and re-stamped after the tombstone) is not removed:
 * it comes later in the same pull, and deleting it first would throw away its downloaded file.
 */
export async function readRemovals(
  db: Kysely<Database>,
  r: RemovalRead,
): Promise<{ removed: Removal[]; read: number; last: [number, string, string] | null }> {
  const after = r.after
  const rows = await db
    .selectFrom('tombstones')
    .select(['rev', 'table_name', 'entity_id', 'reason'])
    .where('technician_id', '=', r.technicianId)
    .where('rev', '>', r.sinceRev)
    .where('rev', '<=', r.untilRev)
    .$if(after !== null, (qb) =>
      qb.where((eb) =>
        eb(
          eb.refTuple('rev', 'table_name', 'entity_id'),
          '>',
          eb.tuple(after?.[0] ?? 0, (after?.[1] ?? 'jobs') as EntityTable, after?.[2] ?? ''),
        ),
      ),
    )
    .orderBy('rev')
    .orderBy('table_name')
    .orderBy('entity_id')
    .limit(r.limit)
    .execute()
  const lastRow = rows.at(-1)
  const last: [number, string, string] | null = lastRow
    ? [Number(lastRow.rev), lastRow.table_name, lastRow.entity_id]
    : null
  const present = await heldAgain(db, r, rows)
  // One removal per row even when it left several times (out, in, out again): keyed by kind and
  // id, since each table keys its own ids and a device chooses them. By id alone, a note and an
  // estimate a client gave one id hid each other's removal (or one held again kept the other).
  const byRow = new Map<string, Removal>()
  for (const row of rows) {
    const key = rowKey(row.table_name, row.entity_id)
    if (present.has(key)) continue
    byRow.set(key, { table: row.table_name, id: row.entity_id, reason: row.reason })
  }
  return { removed: [...byRow.values()], read: rows.length, last }
}

/** A row's key across tables: an id is unique only within its table. */
const rowKey = (table: EntityTable, id: string): string => `${table}/${id}`

const TABLE_OF = new Map<EntityTable, keyof Database>([
  ['jobs', 'jobs'],
  ...JOB_CHILD_TABLES.map(([name, table]) => [name, table] as [EntityTable, keyof Database]),
])

/** Which of these tombstoned rows are in the technician's scope now, by rowKey. */
async function heldAgain(
  db: Kysely<Database>,
  r: RemovalRead,
  rows: Array<{ table_name: EntityTable; entity_id: string }>,
): Promise<Set<string>> {
  const byTable = new Map<EntityTable, string[]>()
  for (const row of rows) {
    byTable.set(row.table_name, [...(byTable.get(row.table_name) ?? []), row.entity_id])
  }
  const present = new Set<string>()
  for (const [name, ids] of byTable) {
    const table = TABLE_OF.get(name)
    if (!table) continue
    const scope = jobsWithAppointmentIn(db, r.technicianId, r.window.from, r.window.to)
    // biome-ignore lint/suspicious/noExplicitAny: one query shape for the job and its child tables
    const any = db as Kysely<any>
    const found = await any
      .selectFrom(table)
      .select('id')
      .where('id', 'in', ids)
      .where(table === 'jobs' ? 'id' : 'job_id', 'in', scope)
      .execute()
    for (const row of found) present.add(rowKey(name, row.id as string))
  }
  return present
}
