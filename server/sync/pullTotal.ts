import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { Stream } from './cursor'
import { GROUP_TABLES } from './pullTables'
import { scopeGroup } from './scope'
import { streamWindow } from './window'

/** Ids per counting query: far below PostgreSQL's and SQLite's bind limits. */
const CHUNK = 500

/**
 * About how many entities (and removals) a technician's pull will send, for the device's
 * "N of M" progress. Counted once, on the first page of a pull that needs more than one: the
 * technician's jobs in the window are listed (index-only), then each table is counted for those
 * job ids, through the same (job_id, …) and primary-key indexes the pages use, so it costs a
 * fraction of the pull it describes. An estimate: rows written while the pull runs, and a
 * customer shared by jobs of two groups (sent twice), make it a little off.
 *
 * Not for a dispatcher: their scope is the whole company, and counting it would be a pull's
 * worth of work; their device shows bytes instead.
 */
export async function countTechnicianPull(
  db: Kysely<Database>,
  technicianId: string,
  stream: Stream,
): Promise<number> {
  const window = streamWindow(stream)
  const jobs = await scopeGroup(db, {
    technicianId,
    window: window.scope,
    entered: window.entered,
    after: null,
    upTo: null,
    limit: Number.MAX_SAFE_INTEGER,
  })
  const since = stream.since?.rev ?? null
  // biome-ignore lint/suspicious/noExplicitAny: one count shape for every table
  const any = db as Kysely<any>
  const count = async (table: string, match: string, ids: string[], whole: string[]) => {
    if (ids.length === 0) return 0
    const row = await any
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where(match, 'in', ids)
      .$if(since !== null, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb(`${table}.rev`, '>', since ?? 0),
            ...(whole.length > 0 ? [eb(match, 'in', whole)] : []),
          ]),
        ),
      )
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  let total = 0
  const customers = [...new Set(jobs.map((j) => j.customer_id))]
  const wholeCustomers = new Set(jobs.filter((j) => j.entered).map((j) => j.customer_id))
  for (let i = 0; i < customers.length; i += CHUNK) {
    const ids = customers.slice(i, i + CHUNK)
    total += await count(
      'customers',
      'customers.id',
      ids,
      ids.filter((id) => wholeCustomers.has(id)),
    )
  }
  for (let i = 0; i < jobs.length; i += CHUNK) {
    const chunk = jobs.slice(i, i + CHUNK)
    const ids = chunk.map((j) => j.id)
    const whole = chunk.filter((j) => j.entered).map((j) => j.id)
    for (const spec of GROUP_TABLES) {
      if (!spec.byCustomer) total += await count(spec.table, spec.match, ids, whole)
    }
  }

  const labels = await db
    .selectFrom('labels')
    .select((eb) => eb.fn.countAll().as('n'))
    .$if(since !== null, (qb) => qb.where('rev', '>', since ?? 0))
    .executeTakeFirstOrThrow()
  total += Number(labels.n)
  if (stream.since) {
    const removals = await db
      .selectFrom('tombstones')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('technician_id', '=', technicianId)
      .where('rev', '>', stream.since.rev)
      .where('rev', '<=', stream.rev)
      .executeTakeFirstOrThrow()
    total += Number(removals.n)
  }
  return total
}
