import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Ids of the jobs a device holds: assigned to the technician (any technician when null, for a
 * dispatcher) with at least one appointment starting in [from, to). Returned as a subquery so
 * a query over the scope stays one round trip, whatever the number of jobs.
 */
export function jobsWithAppointmentIn(
  db: Kysely<Database>,
  technicianId: string | null,
  from: string,
  to: string,
) {
  return db
    .selectFrom('jobs as sj')
    .select('sj.id')
    .$if(technicianId !== null, (qb) => qb.where('sj.technician_id', '=', technicianId as string))
    .where(({ exists, selectFrom, lit }) =>
      exists(
        selectFrom('appointments as sa')
          .select(lit(1).as('one'))
          .whereRef('sa.job_id', '=', 'sj.id')
          .where('sa.starts_at', '>=', from)
          .where('sa.starts_at', '<', to),
      ),
    )
}

export interface ScopeJob {
  id: string
  customer_id: string
  /** Has an appointment in the part of the window the device did not cover yet: send it whole. */
  entered: boolean
}

export interface GroupQuery {
  technicianId: string | null
  window: { from: string; to: string }
  /** Where the window grew since the device's cursor (null: it did not, or no cursor). */
  entered: { from: string; to: string } | null
  /** Jobs after this id (null: from the first). */
  after: string | null
  /** Up to and including this id (re-reading a group a page ended inside). */
  upTo: string | null
  limit: number
}

/**
 * The next group of jobs in scope, in id order. A technician's come from the (technician_id, id)
 * index, a dispatcher's from the primary key; either way each is checked for an appointment in
 * the window through (job_id, starts_at), so a page costs the jobs it walks, not the company.
 * A technician with a long history walks past their jobs outside the window (index entries only).
 */
export async function scopeGroup(db: Kysely<Database>, q: GroupQuery): Promise<ScopeJob[]> {
  const rows = await db
    .selectFrom('jobs')
    .select(['jobs.id', 'jobs.customer_id'])
    .$if(q.entered !== null, (qb) =>
      qb.select(({ exists, selectFrom, lit }) =>
        exists(
          selectFrom('appointments as ea')
            .select(lit(1).as('one'))
            .whereRef('ea.job_id', '=', 'jobs.id')
            .where('ea.starts_at', '>=', q.entered?.from ?? '')
            .where('ea.starts_at', '<', q.entered?.to ?? ''),
        ).as('entered'),
      ),
    )
    .$if(q.technicianId !== null, (qb) =>
      qb.where('jobs.technician_id', '=', q.technicianId as string),
    )
    .$if(q.after !== null, (qb) => qb.where('jobs.id', '>', q.after as string))
    .$if(q.upTo !== null, (qb) => qb.where('jobs.id', '<=', q.upTo as string))
    .where(({ exists, selectFrom, lit }) =>
      exists(
        selectFrom('appointments as sa')
          .select(lit(1).as('one'))
          .whereRef('sa.job_id', '=', 'jobs.id')
          .where('sa.starts_at', '>=', q.window.from)
          .where('sa.starts_at', '<', q.window.to),
      ),
    )
    .orderBy('jobs.id')
    .limit(q.limit)
    .execute()
  return rows.map((row) => {
    const entered = (row as { entered?: unknown }).entered
    // PostgreSQL answers a boolean, SQLite 0 or 1.
    return { id: row.id, customer_id: row.customer_id, entered: Boolean(Number(entered ?? 0)) }
  })
}
