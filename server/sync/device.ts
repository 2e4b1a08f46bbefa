import { createHash } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { Dialect } from '../db/connect'
import type { Database } from '../db/schema'
import { HttpError } from '../http/errors'

export interface LockedDevice {
  id: string
  last_seq: number
}

/**
 * Loads the device row, creating it for its first push, checks that this push comes from the
 * device itself, and locks the row for the transaction.
 *
 * Ownership: a device id belongs to the user who registered it, and to the installation that
 * knows its secret (protocol/sync.ts DeviceSecret). The first push that carries a secret
 * registers its hash; later pushes must carry the same secret. Without that check another
 * session of the same user could push under a device id it learnt with seq 2^53−1 and every
 * later action of the real device would be refused as stale. Devices from before secrets existed
 * (secret_hash null) keep working without one until their first push with one claims the row.
 *
 * Several API instances on one PostgreSQL: two pushes of the same device can arrive at two
 * instances at once (a retry racing the original, or the next batch). FOR UPDATE makes the
 * second wait here, before it reads anything, until the first commits or rolls back. PostgreSQL
 * runs at READ COMMITTED, so every statement after the wait sees the first push's committed
 * results: its processed ids come back 'duplicate', last_seq has moved on, and nothing applies
 * twice or out of order. (A brand-new device is not there to lock: its INSERT … ON CONFLICT
 * waits on the primary key until the other push's insert commits, and the SELECT … FOR UPDATE
 * that follows then waits for that push's commit, as above.)
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
  device: { id: string; secret: string | undefined },
  userId: string,
): Promise<LockedDevice> {
  const secretHash = device.secret ? hashSecret(device.secret) : null
  const select = () =>
    trx
      .selectFrom('devices')
      .select(['id', 'user_id', 'last_seq', 'secret_hash'])
      .where('id', '=', device.id)
      .$if(dialect === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst()
  // A known device (every push after its first) is one statement; a new one is created first.
  let row = await select()
  if (!row) {
    await trx
      .insertInto('devices')
      .values({ id: device.id, user_id: userId, last_seq: 0, secret_hash: secretHash })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    row = await select()
    if (!row) throw new Error(`device ${device.id} neither found nor created`)
  }
  if (row.user_id !== userId) {
    throw new HttpError(403, 'forbidden', 'This device id belongs to another user.')
  }
  if (row.secret_hash === null && secretHash !== null) {
    await trx
      .updateTable('devices')
      .set({ secret_hash: secretHash })
      .where('id', '=', device.id)
      .execute()
  } else if (row.secret_hash !== null && row.secret_hash !== secretHash) {
    throw new HttpError(
      403,
      'device_not_yours',
      'This device id is registered to another installation of Fieldline; the push was refused.',
    )
  }
  return { id: row.id, last_seq: Number(row.last_seq) }
}

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}
