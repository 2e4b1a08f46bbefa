import { type Kysely, sql } from 'kysely'

/**
 * The first schema. Dialect-neutral on purpose: text ids, ISO-8601 text for times, integers for
 * versions and revisions, JSON as text. `bigint` is used where a device's numbers may grow past
 * 2^31 (SQLite treats it as INTEGER).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('technician', 'dispatcher')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user_id').on('sessions').column('user_id').execute()

  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phones', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('customers_rev').on('customers').column('rev').execute()

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('technician_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('jobs_technician_id').on('jobs').column('technician_id').execute()
  await db.schema.createIndex('jobs_rev').on('jobs').column('rev').execute()
  await db.schema.createIndex('jobs_customer_id').on('jobs').column('customer_id').execute()

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()
  // (job_id, starts_at) answers "does this job have an appointment in the window" from the index.
  await db.schema
    .createIndex('appointments_job_id_starts_at')
    .on('appointments')
    .columns(['job_id', 'starts_at'])
    .execute()
  await db.schema
    .createIndex('appointments_starts_at')
    .on('appointments')
    .column('starts_at')
    .execute()
  await db.schema.createIndex('appointments_rev').on('appointments').column('rev').execute()

  await db.schema
    .createTable('notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('author_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('notes_job_id')
    .on('notes')
    .columns(['job_id', 'created_at'])
    .execute()
  await db.schema.createIndex('notes_rev').on('notes').column('rev').execute()

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('processed_mutations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('applied', 'rejected')`))
    .addColumn('code', 'text')
    .addColumn('reason', 'text')
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('processed_mutations_processed_at')
    .on('processed_mutations')
    .column('processed_at')
    .execute()

  await db.schema
    .createTable('tombstones')
    .addColumn('rev', 'integer', (c) => c.notNull())
    .addColumn('technician_id', 'text', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tombstones_pk', ['technician_id', 'rev', 'table_name', 'entity_id'])
    .execute()

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute()
  await db.insertInto('counters').values({ name: 'rev', value: 0 }).execute()
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'counters',
    'tombstones',
    'processed_mutations',
    'devices',
    'notes',
    'appointments',
    'jobs',
    'customers',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(table).execute()
  }
}
