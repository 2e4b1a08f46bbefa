import type { Transaction } from 'kysely'
import type { Database } from '../db/schema'

/** The technician a job is assigned to: whose devices an office edit of it concerns. */
export async function technicianOf(trx: Transaction<Database>, jobId: string): Promise<string[]> {
  const job = await trx
    .selectFrom('jobs')
    .select('technician_id')
    .where('id', '=', jobId)
    .executeTakeFirst()
  return job ? [job.technician_id] : []
}
