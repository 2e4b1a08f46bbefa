import type { Kysely } from 'kysely'

/**
 * When the office (or a device) last changed an appointment, an estimate, an invoice or a job
 * form, like jobs.updated_at. A conflict reports it with the office's value (FieldConflict.
 * serverAt), so the device can suggest, per clashing field, the side that changed it last. Null
 * for rows from before this migration: then the technician's value is suggested.
 */
const TABLES = ['appointments', 'estimates', 'invoices', 'job_forms'] as const

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema type
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).addColumn('updated_at', 'text').execute()
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TABLES) {
    await db.schema.alterTable(table).dropColumn('updated_at').execute()
  }
}
