import type { Transaction } from 'kysely'
import type { EntityTable } from '../../protocol/entities'
import type { Database } from './schema'

/** The tables of rows that belong to one job (each has job_id and rev), by protocol name. */
export const JOB_CHILD_TABLES = [
  ['appointments', 'appointments'],
  ['notes', 'notes'],
  ['jobForms', 'job_forms'],
  ['attachments', 'attachments'],
  ['estimates', 'estimates'],
  ['invoices', 'invoices'],
  ['payments', 'payments'],
  ['signatures', 'signatures'],
] as const satisfies ReadonlyArray<readonly [EntityTable, keyof Database]>

/**
 * Stamps a job and everything a device holds with it (its child rows and its customer) with a
 * new revision, so the next delta pull sends the job whole. Used when a job may have entered
 * someone's scope by a change that did not touch all its rows: reassignment to a new
 * technician, or an appointment created or moved into the window.
 *
 * Rows already at `rev` are left alone (`rev <> rev`): a batch of many appointment moves on one
 * job re-stamped every row of it once per move, and on PostgreSQL each rewrite adds a row
 * version the next one walks, so 500 moves took 2 minutes under the revision lock every other
 * writer waits on (a hostile-client probe). Now a job's rows are written once per revision.
 */
export async function restampJob(
  trx: Transaction<Database>,
  job: { id: string; customer_id: string },
  rev: number,
): Promise<void> {
  await trx
    .updateTable('jobs')
    .set({ rev })
    .where('id', '=', job.id)
    .where('rev', '<>', rev)
    .execute()
  for (const [, table] of JOB_CHILD_TABLES) {
    await trx
      .updateTable(table)
      .set({ rev })
      .where('job_id', '=', job.id)
      .where('rev', '<>', rev)
      .execute()
  }
  await trx
    .updateTable('customers')
    .set({ rev })
    .where('id', '=', job.customer_id)
    .where('rev', '<>', rev)
    .execute()
}

/**
 * Tells a technician's device to drop a job and every child row of it: the job was reassigned
 * to someone else, or moved out of the days a device keeps (`reason` then says so). The customer
 * is left alone: other jobs of that technician may share it, and a stale customer card is
 * harmless (the device's retention clears it). Labels are global and stay.
 */
export async function tombstoneJobFor(
  trx: Transaction<Database>,
  job: { id: string; number: number },
  technicianId: string,
  rev: number,
  reason = `Job #${job.number} was reassigned to another technician.`,
): Promise<void> {
  const rows: Array<{ table_name: EntityTable; entity_id: string }> = [
    { table_name: 'jobs', entity_id: job.id },
  ]
  for (const [name, table] of JOB_CHILD_TABLES) {
    const children = await trx.selectFrom(table).select('id').where('job_id', '=', job.id).execute()
    for (const child of children) rows.push({ table_name: name, entity_id: child.id })
  }
  const values = rows.map((row) => ({ ...row, rev, technician_id: technicianId, reason }))
  for (let i = 0; i < values.length; i += 200) {
    // The same job can leave twice in one batch (moved out, in, out again): every action of a
    // batch shares its revision, so the second time the same tombstones are already there. That
    // was a primary-key failure, answered `internal` on the third move.
    await trx
      .insertInto('tombstones')
      .values(values.slice(i, i + 200))
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}
