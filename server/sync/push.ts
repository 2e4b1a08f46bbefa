import type { FastifyBaseLogger } from 'fastify'
import type { User } from '../../protocol/auth'
import type { PushResponse, ReceivedPush } from '../../protocol/sync'
import type { Db } from '../db/connect'
import { HttpError } from '../http/errors'
import { applyBatch } from './applyBatch'
import { isStoreFailure, storeUnavailable } from './storeFailure'

/**
 * Applies a device's batch exactly once and in order, all in ONE transaction: either every
 * outcome (applied rows, processed_mutations records, the device's last_seq) is committed
 * together, or nothing is and the device sends the batch again. That is what makes a resend
 * after a lost answer safe: the ids it already applied come back as 'duplicate'. The rules per
 * mutation are in applyBatch.ts.
 *
 * No single mutation can fail the batch. The batch first runs on the fast path (no savepoints,
 * notes inserted in multi-row statements). If anything throws there, the transaction is rolled
 * back and, unless the database itself is failing, the batch runs again with each mutation in its
 * own savepoint: the one that throws is rolled back alone and answered `rejected` with code
 * `internal`, and the mutations behind it apply. The database's own failures (connection lost,
 * serialization failure, disk full: storeFailure.ts) answer the whole batch 503 with Retry-After;
 * nothing was applied and the device sends it again later, as after a lost answer.
 *
 * Fast path (the same outcomes as applying one mutation at a time, in fewer statements): the
 * processed ids of the whole batch are read with one query; when the first mutation is about to
 * apply, the jobs and note ids the batch refers to are read with one query each (after the
 * revision is taken, so under its lock); a run of note.add is inserted with one multi-row
 * INSERT, written before any other kind of mutation applies; the batch's last notes, its new
 * processed_mutations records and the device's last_seq are written at the end (one statement
 * on PostgreSQL: db/bulk.ts). A batch of 200 notes is 9 statements on PostgreSQL and 11 on
 * SQLite (session lookup, BEGIN and COMMIT included; PostgreSQL adds the NOTIFY of live/pgFeed.ts
 * after the commit), not ~600.
 *
 * Two instances, one device (PostgreSQL): lockDevice takes the device row FOR UPDATE first
 * thing, so a second push of the same device — the same batch resent to another instance, or
 * the next batch — waits until the first commits, and its reads (processed ids, last_seq; READ
 * COMMITTED, so each statement sees what committed before it) then include the first push's
 * results: its repeats answer 'duplicate', nothing applies twice and last_seq only grows. See
 * sync/device.ts for why a row lock rather than a sequence check that fails and retries.
 */
export async function push(
  db: Db,
  user: User,
  request: ReceivedPush,
  now: Date,
  log: FastifyBaseLogger,
  /** Hashes of upgraded actions' args as made (upgrade.ts), for resends across a deployment. */
  earlierHashes: ReadonlyMap<string, string> = new Map(),
): Promise<PushResponse> {
  assertIncreasingSeqs(request)
  const run = { dialect: db.dialect, user, request, now, log, earlierHashes }
  try {
    return await db.kysely
      .transaction()
      .execute((trx) => applyBatch(trx, { ...run, isolate: false }))
  } catch (err) {
    if (err instanceof HttpError) throw err
    if (isStoreFailure(err)) throw unavailable(err, run)
    log.warn(
      { err, deviceId: request.deviceId, userId: user.id },
      'push failed on the fast path; applying it again one mutation at a time',
    )
  }
  try {
    return await db.kysely
      .transaction()
      .execute((trx) => applyBatch(trx, { ...run, isolate: true }))
  } catch (err) {
    if (err instanceof HttpError) throw err
    if (isStoreFailure(err)) throw unavailable(err, run)
    throw err
  }
}

function unavailable(
  err: unknown,
  run: { request: ReceivedPush; user: User; log: FastifyBaseLogger },
) {
  run.log.error(
    { err, deviceId: run.request.deviceId, userId: run.user.id },
    'push refused 503: the database failed',
  )
  return storeUnavailable()
}

/** The device sends its queue in order; a batch out of order is a client bug, refused whole. */
function assertIncreasingSeqs(request: ReceivedPush): void {
  for (let i = 1; i < request.mutations.length; i++) {
    const prev = request.mutations[i - 1]
    const cur = request.mutations[i]
    if (prev && cur && cur.seq <= prev.seq) {
      throw new HttpError(
        400,
        'invalid_request',
        `mutations.${i}.seq must be greater than the previous mutation's seq (${prev.seq}).`,
      )
    }
  }
}
