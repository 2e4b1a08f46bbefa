import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema'

/**
 * Takes the next revision for a writing transaction. Every row the transaction writes is
 * stamped with it, and a pull's cursor is "the highest revision I have seen".
 *
 * Why this is safe for cursors: the UPDATE takes a row lock on the counter that is held until
 * commit. On PostgreSQL that serializes all writers, so revisions commit in increasing order and
 * a reader that saw counter value N has seen every row stamped ≤ N: no row can be committed
 * later with a smaller revision and be skipped by a cursor. On SQLite there is only one writer
 * at a time anyway. Call it first in the transaction, before other writes, so the lock order is
 * the same everywhere (push takes the device row first, then this; nothing takes them reversed).
 */
export async function nextRev(trx: Transaction<Database>): Promise<number> {
  const row = await trx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'rev')
    .returning('value')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}

/** The highest revision committed (as seen by this transaction's snapshot). */
export async function currentRev(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', 'rev')
    .executeTakeFirstOrThrow()
  return Number(row.value)
}
