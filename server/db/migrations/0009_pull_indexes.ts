import type { Kysely } from 'kysely'

/**
 * Indexes for the paged pull (sync/pullPage.ts), which walks a user's jobs in id order and reads
 * each job's rows by job id, instead of reading the company's rows by revision:
 *
 * - `jobs (technician_id, id)`: a technician's jobs in id order, so a page starts where the last
 *   one stopped without sorting all of that technician's jobs. Replaces `jobs (technician_id)`.
 * - `(job_id, rev)` on notes and on attachments, estimates, invoices, payments, signatures: a
 *   delta reads "rows of these jobs changed after revision R" from the index alone, whatever the
 *   size of the company. For the last five it replaces the plain `(job_id)` index.
 * - The `rev`-only indexes of job-scoped tables go: no query reads them any more (a company-wide
 *   walk by revision is what made a delta cost grow with the company), and every insert and
 *   re-stamp paid for them. `labels_rev` stays: labels are company-wide and few.
 *
 * Appointments keep `(job_id, starts_at)` (the scope's "has an appointment in the window" probe
 * is index-only with it); a job has one or two, so their delta filter reads the rows themselves.
 */
const CHILDREN = ['attachments', 'estimates', 'invoices', 'payments', 'signatures'] as const
const REV_ONLY = [
  'customers',
  'jobs',
  'appointments',
  'notes',
  'job_forms',
  'attachments',
  'estimates',
  'invoices',
  'payments',
  'signatures',
] as const

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('jobs_technician_id_id')
    .on('jobs')
    .columns(['technician_id', 'id'])
    .execute()
  await db.schema.dropIndex('jobs_technician_id').execute()

  await db.schema.createIndex('notes_job_id_rev').on('notes').columns(['job_id', 'rev']).execute()
  for (const table of CHILDREN) {
    await db.schema
      .createIndex(`${table}_job_id_rev`)
      .on(table)
      .columns(['job_id', 'rev'])
      .execute()
    await db.schema.dropIndex(`${table}_job_id`).execute()
  }
  for (const table of REV_ONLY) await db.schema.dropIndex(`${table}_rev`).execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of REV_ONLY) {
    await db.schema.createIndex(`${table}_rev`).on(table).column('rev').execute()
  }
  for (const table of CHILDREN) {
    await db.schema.createIndex(`${table}_job_id`).on(table).column('job_id').execute()
    await db.schema.dropIndex(`${table}_job_id_rev`).execute()
  }
  await db.schema.dropIndex('notes_job_id_rev').execute()
  await db.schema.createIndex('jobs_technician_id').on('jobs').column('technician_id').execute()
  await db.schema.dropIndex('jobs_technician_id_id').execute()
}
