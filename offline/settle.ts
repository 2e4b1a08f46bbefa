import type { MutationResult } from '../protocol/sync'
import { settleInFlight } from './inFlight'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

/*
 * How a push ended, written to the queue: each function settles a batch (or one entry) in one
 * transaction, marks what was sent as sent, and takes it out of the in-flight record
 * (inFlight.ts). Split from outbox.ts, which picks batches and handles the technician's Retry,
 * Discard and conflict choices.
 */

/** Writes how a batch's push ended and takes the batch out of the in-flight record, together. */
export function settle(
  db: LocalDb,
  batch: OutboxEntry[],
  write: () => Promise<unknown>,
): Promise<void> {
  return db.transaction('rw', db.outbox, db.meta, async () => {
    await write()
    await settleInFlight(
      db,
      batch.map((e) => e.seq),
    )
  })
}

/** Puts a batch back (Uploading → Queued) after an upload that got no answer. */
export async function setStatus(db: LocalDb, batch: OutboxEntry[], status: OutboxEntry['status']) {
  await settle(db, batch, async () => {
    await db.outbox.bulkPut(batch.map((e) => ({ ...e, status })))
  })
}

/**
 * Bisection blamed the wrong entry (the server failed again without it): the batch just tried
 * goes back Queued (sent) and the entry set aside goes back Queued at its place, in one
 * transaction, so no other transaction finds the batch out of the in-flight record and not yet
 * marked sent. The entry set aside is read again first: if the technician retried or discarded
 * it meanwhile, that stands.
 */
export async function releaseSuspect(
  db: LocalDb,
  suspect: OutboxEntry,
  batch: OutboxEntry[],
): Promise<void> {
  await settle(db, batch, async () => {
    await db.outbox.bulkPut(batch.map((e) => ({ ...e, status: 'queued' as const })))
    const row = await db.outbox.get(suspect.seq as number)
    if (row?.id !== suspect.id || row.status !== 'failed' || row.code !== 'server_error') return
    await db.outbox.put({
      ...row,
      status: 'queued',
      reason: undefined,
      code: undefined,
      batchLimit: undefined,
      serverErrors: undefined,
    })
  })
}

/**
 * The server failed on this batch (a 5xx other than 503, or no answer in time), or refused it
 * for one action in it (bisect.ts `refused`): the entries go back to Queued and may lead batches
 * only `limit` long (nextBatch; by default half as long); an entry that was alone counts one more
 * failure. Repeated, this narrows down to the one entry the server cannot take.
 */
export async function markServerError(
  db: LocalDb,
  batch: OutboxEntry[],
  limit = Math.floor(batch.length / 2),
): Promise<void> {
  const half = Math.max(1, limit)
  await settle(db, batch, async () => {
    await db.outbox.bulkPut(
      batch.map((e) => ({
        ...e,
        status: 'queued' as const,
        sent: true,
        batchLimit: Math.min(e.batchLimit ?? half, half),
        serverErrors: batch.length === 1 ? (e.serverErrors ?? 0) + 1 : e.serverErrors,
      })),
    )
  })
}

/** The entry the server could not take was found and set aside: the others start afresh. */
export async function clearServerErrors(db: LocalDb): Promise<void> {
  await db.outbox
    .filter((e) => e.serverErrors !== undefined || e.batchLimit !== undefined)
    .modify((e) => {
      delete e.serverErrors
      delete e.batchLimit
    })
}

/**
 * Records the server's answer for one batch in one transaction: applied and duplicate entries
 * leave the queue; rejected ones become Failed with the server's reason. Entries the server
 * did not answer for stay Queued (sent again next time; their ids make that harmless).
 */
export async function recordResults(
  db: LocalDb,
  batch: OutboxEntry[],
  results: MutationResult[],
): Promise<{ done: number; failed: number }> {
  const byId = new Map(results.map((r) => [r.id, r]))
  const done: number[] = []
  const kept: OutboxEntry[] = []
  for (const entry of batch) {
    const result = byId.get(entry.id)
    const attempts = entry.attempts + 1
    if (result?.status === 'applied' || result?.status === 'duplicate') {
      done.push(entry.seq as number)
    } else if (result?.status === 'rejected') {
      kept.push({
        ...entry,
        status: 'failed',
        attempts,
        reason: result.reason ?? 'The server refused this action.',
        code: result.code,
      })
    } else if (result?.status === 'conflict') {
      kept.push({
        ...entry,
        status: 'conflict',
        attempts,
        reason: result.reason ?? 'The office changed this too.',
        code: 'conflict',
        conflicts: result.conflicts ?? [],
        serverVersion: result.serverVersion,
      })
    } else {
      kept.push({ ...entry, status: 'queued', attempts })
    }
  }
  await settle(db, batch, async () => {
    await db.outbox.bulkDelete(done)
    if (kept.length > 0) await db.outbox.bulkPut(kept)
  })
  return { done: done.length, failed: kept.filter((e) => e.status !== 'queued').length }
}

/** Marks every entry of a batch Failed with one reason (the server refused the whole push). */
export async function failAll(db: LocalDb, batch: OutboxEntry[], reason: string, code: string) {
  await settle(db, batch, async () => {
    for (const entry of batch) {
      await db.outbox.update(entry.seq as number, {
        status: 'failed',
        sent: true,
        attempts: entry.attempts + 1,
        reason,
        code,
      })
    }
  })
}
