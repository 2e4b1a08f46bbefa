import { type Kysely, sql } from 'kysely'

/**
 * Everything a job carries besides notes: labels (global), the job form, attachments and their
 * uploaded files, estimates, invoices, payments and signatures. Same rules as 0001: text ids,
 * ISO-8601 text times, integer money (cents) / versions / revisions, JSON as text. Every row a
 * device holds has `rev`; rows a technician edits also have `version`.
 *
 * processed_mutations is rebuilt to allow the new 'conflict' status (SQLite cannot alter a CHECK
 * constraint; copy-and-rename works the same on PostgreSQL).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('jobs')
    .addColumn('label_ids', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()

  await db.schema
    .createTable('labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('color', 'text', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('labels_rev').on('labels').column('rev').execute()

  await db.schema
    .createTable('job_forms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().unique().references('jobs.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('fields', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_forms_rev').on('job_forms').column('rev').execute()

  await db.schema
    .createTable('attachment_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('photo', 'pdf')`))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('taken_at', 'text', (c) => c.notNull())
    .addColumn('thumbnail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('estimates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('line_items', 'text', (c) => c.notNull())
    .addColumn('tax_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('line_items', 'text', (c) => c.notNull())
    .addColumn('tax_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('estimate_id', 'text', (c) => c.references('estimates.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('amount_cents', 'bigint', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('payments_invoice_id').on('payments').column('invoice_id').execute()

  await db.schema
    .createTable('signatures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('signer_name', 'text', (c) => c.notNull())
    .addColumn('signed_at', 'text', (c) => c.notNull())
    .addColumn('image', 'text', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()

  // A pull selects each child table by job (the scope) and by rev (the delta).
  for (const table of ['attachments', 'estimates', 'invoices', 'payments', 'signatures']) {
    await db.schema.createIndex(`${table}_job_id`).on(table).column('job_id').execute()
    await db.schema.createIndex(`${table}_rev`).on(table).column('rev').execute()
  }

  await db.schema
    .createTable('processed_mutations_new')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('applied', 'rejected', 'conflict')`),
    )
    .addColumn('code', 'text')
    .addColumn('reason', 'text')
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .execute()
  await sql`insert into processed_mutations_new
    (id, device_id, seq, user_id, name, status, code, reason, processed_at)
    select id, device_id, seq, user_id, name, status, code, reason, processed_at
    from processed_mutations`.execute(db)
  await db.schema.dropTable('processed_mutations').execute()
  await db.schema.alterTable('processed_mutations_new').renameTo('processed_mutations').execute()
  await db.schema
    .createIndex('processed_mutations_processed_at')
    .on('processed_mutations')
    .column('processed_at')
    .execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'signatures',
    'payments',
    'invoices',
    'estimates',
    'attachments',
    'attachment_files',
    'job_forms',
    'labels',
  ]) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('jobs').dropColumn('label_ids').execute()
}
