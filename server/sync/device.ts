import type { Transaction } from 'kysely'
import type { Dialect } from '../db/connect'
import type { Database, DevicesTable } from '../db/schema'

/**
 * Loads the device row, creating it for its first push, and locks it for the transaction.
 * On PostgreSQL, FOR UPDATE makes two API instances receiving batches from the same device
 * (a retry racing the original) process them one after the other, so last_seq and the
 * duplicate check always see the other's result. SQLite has one writer at a time anyway.
 */
export async function lockDevice(
  trx: Transaction<Database>,
  dialect: Dialect,
  deviceId: string,
  userId: string,
): Promise<DevicesTable> {
  await trx
    .insertInto('devices')
    .values({ id: deviceId, user_id: userId, last_seq: 0 })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const row = await trx
    .selectFrom('devices')
    .select(['id', 'user_id', 'last_seq'])
    .where('id', '=', deviceId)
    .$if(dialect === 'postgres', (qb) => qb.forUpdate())
    .executeTakeFirstOrThrow()
  return { ...row, last_seq: Number(row.last_seq) }
}
