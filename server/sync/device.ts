import type { Transaction } from 'kysely'
import type { Dialect } from '../db/connect'
import type { Database, DevicesTable } from '../db/schema'

/**
 * Loads the device row, creating it for its first push, and locks it for the transaction.
 *
 * Several API instances on one PostgreSQL: two pushes of the same device can arrive at two
 * instances at once (a retry racing the original, or the next batch). FOR UPDATE makes the
 * second wait here, before it reads anything, until the first commits or rolls back. PostgreSQL
 * runs at READ COMMITTED, so every statement after the wait sees the first push's committed
 * results: its processed ids come back 'duplicate', last_seq has moved on, and nothing applies
 * twice or out of order. (The INSERT … ON CONFLICT of a brand-new device waits the same way on
 * the primary key until the other insert commits.)
 *
 * Why a row lock and not only a per-device sequence check (e.g. UPDATE devices SET last_seq …
 * WHERE last_seq = <read value>, or SERIALIZABLE): a check detects the race after both have
 * done the work, so one push must fail (409/500 or a serialization error) and the device retry
 * it; the lock makes the loser wait a few milliseconds and then answer correctly, with no retry
 * path to get wrong. The lock is per device, so different devices never wait for each other here
 * (they do take turns on the revision counter, see revs.ts). Lock order is always device row,
 * then counter, so the two cannot deadlock. SQLite has one writer at a time anyway (and one
 * process: several instances need PostgreSQL). tests/server/instances.test.ts fails without it.
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
