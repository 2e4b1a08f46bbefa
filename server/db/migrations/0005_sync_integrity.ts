import { type Kysely, sql } from 'kysely'

/**
 * What the push needs to refuse what it used to accept silently (issue "no single action can stop
 * sync"):
 * - processed_mutations is keyed by (user_id, id), not by id alone, so one user's ids never answer
 *   another's, and keeps `args_hash` (SHA-256 of name + canonical args) so the same id with other
 *   arguments is refused (`id_reused`) instead of answered 'duplicate' and dropped by the device.
 *   Rows from before have no hash and are trusted as they were. Rebuilt by copy-and-rename, as in
 *   0002 (SQLite cannot change a primary key in place).
 * - devices.secret_hash: the SHA-256 of the secret a device registers with its first push; a push
 *   under that device id without the secret is refused.
 * - estimates and invoices: a document number is unique per job. Duplicates already stored (two
 *   devices made the same number offline) are renumbered first, oldest keeps its number.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('processed_mutations_v2')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('applied', 'rejected', 'conflict')`),
    )
    .addColumn('code', 'text')
    .addColumn('reason', 'text')
    .addColumn('processed_at', 'text', (c) => c.notNull())
    .addColumn('args_hash', 'text')
    .addPrimaryKeyConstraint('processed_mutations_v2_pk', ['user_id', 'id'])
    .execute()
  await sql`insert into processed_mutations_v2
    (user_id, id, device_id, seq, name, status, code, reason, processed_at)
    select user_id, id, device_id, seq, name, status, code, reason, processed_at
    from processed_mutations`.execute(db)
  await db.schema.dropTable('processed_mutations').execute()
  await db.schema.alterTable('processed_mutations_v2').renameTo('processed_mutations').execute()
  await db.schema
    .createIndex('processed_mutations_processed_at')
    .on('processed_mutations')
    .column('processed_at')
    .execute()

  await db.schema.alterTable('devices').addColumn('secret_hash', 'text').execute()

  for (const table of ['estimates', 'invoices']) {
    await renumberDuplicates(db, table)
    await db.schema
      .createIndex(`${table}_job_id_number`)
      .on(table)
      .columns(['job_id', 'number'])
      .unique()
      .execute()
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function renumberDuplicates(db: Kysely<any>, table: string): Promise<void> {
  const rows: Array<{ id: string; job_id: string; number: string }> = await db
    .selectFrom(table)
    .select(['id', 'job_id', 'number'])
    .orderBy('job_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  const taken = new Set(rows.map((r) => `${r.job_id}\u0001${r.number}`))
  const seen = new Set<string>()
  for (const row of rows) {
    const key = `${row.job_id}\u0001${row.number}`
    if (!seen.has(key)) {
      seen.add(key)
      continue
    }
    let n = 2
    while (taken.has(`${row.job_id}\u0001${row.number}-${n}`)) n++
    const number = `${row.number}-${n}`
    taken.add(`${row.job_id}\u0001${number}`)
    seen.add(`${row.job_id}\u0001${number}`)
    await db.updateTable(table).set({ number }).where('id', '=', row.id).execute()
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['estimates', 'invoices']) {
    await db.schema.dropIndex(`${table}_job_id_number`).execute()
  }
  await db.schema.alterTable('devices').dropColumn('secret_hash').execute()
}
