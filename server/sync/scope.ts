import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Ids of the jobs a device holds: assigned to the technician (any technician when null, for a
 * dispatcher) with at least one appointment starting in [from, to). Returned as a subquery so
 * the pull's queries stay one round trip each, whatever the number of jobs.
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

/** Customer ids of the jobs a job-id subquery selects. */
export function customersOfJobs(
  db: Kysely<Database>,
  jobIds: ReturnType<typeof jobsWithAppointmentIn>,
) {
  return db.selectFrom('jobs as cj').select('cj.customer_id').where('cj.id', 'in', jobIds)
}
