import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Stamps a job and everything a device holds with it (appointments, notes, customer) with a new
 * revision, so the next delta pull sends the job whole. Used when a job may have entered
 * someone's scope by a change that did not touch all its rows: reassignment to a new
 * technician, or an appointment created or moved into the window.
 */
export async function restampJob(
  trx: Transaction<Database>,
  job: { id: string; customer_id: string },
  rev: number,
): Promise<void> {
  await trx.updateTable('jobs').set({ rev }).where('id', '=', job.id).execute()
  await trx.updateTable('appointments').set({ rev }).where('job_id', '=', job.id).execute()
  await trx.updateTable('notes').set({ rev }).where('job_id', '=', job.id).execute()
  await trx.updateTable('customers').set({ rev }).where('id', '=', job.customer_id).execute()
}

/**
 * Tells the previous technician's device to drop a reassigned job, its appointments and notes.
 * The customer is left alone: other jobs of that technician may share it, and a stale customer
 * card is harmless (the device's retention clears it).
 */
export async function tombstoneJobFor(
  trx: Transaction<Database>,
  job: { id: string; number: number },
  technicianId: string,
  rev: number,
): Promise<void> {
  const reason = `Job #${job.number} was reassigned to another technician.`
  const appointments = await trx
    .selectFrom('appointments')
    .select('id')
    .where('job_id', '=', job.id)
    .execute()
  const notes = await trx.selectFrom('notes').select('id').where('job_id', '=', job.id).execute()
  const rows = [
    { table_name: 'jobs' as const, entity_id: job.id },
    ...appointments.map((a) => ({ table_name: 'appointments' as const, entity_id: a.id })),
    ...notes.map((n) => ({ table_name: 'notes' as const, entity_id: n.id })),
  ].map((row) => ({ ...row, rev, technician_id: technicianId, reason }))
  await trx.insertInto('tombstones').values(rows).execute()
}
