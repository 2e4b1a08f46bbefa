import { v7 as uuidv7 } from 'uuid'
import type { User } from '../protocol/auth'
import type { Mutation } from '../protocol/mutations'
import type { MutationResult } from '../protocol/sync'
import { UNNAMED_PROTOCOL_VERSION } from '../protocol/version'
import { actionFor } from './actions'
import type { Chooser } from './actions/localAction'
import { clearInFlight, inFlight, markInFlight, settleInFlight } from './inFlight'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'
import { listOutbox, queueRows } from './outboxList'

export { listOutbox }

/**
 * Entries whose push was cut short (tab killed, browser crashed) stay Queued and are marked
 * sent: the server may have recorded them. Only called while holding the sync lock, so nobody
 * else is uploading them. Rows marked Uploading by an app version from before the in-flight
 * record (inFlight.ts) are put back the same way.
 */
export async function resetInterrupted(db: LocalDb): Promise<void> {
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.outbox.where('status').equals('uploading').modify({ status: 'queued', sent: true })
    const flying = [...(await inFlight(db))]
    if (flying.length === 0) return
    await db.outbox
      .where('seq')
      .anyOf(flying)
      .modify((e) => {
        e.sent = true
      })
    await clearInFlight(db)
  })
}

/**
 * The next entries to upload, in order: Queued ones not held back by an earlier Failed or
 * Conflict entry. An entry is held back when an earlier held or Failed entry created or changed
 * the same entity (its first key), or one it depends on (see OutboxEntry.dependsOn); held
 * entries hold back what depends on them in turn. Everything else goes on: a Failed note does
 * not stop the next note, a Failed title edit does not stop a payment on the same job.
 *
 * While the server keeps failing on a batch (bisection, see syncEngine.ts), a batch is no longer
 * than its first entry's batchLimit: half of the last failed batch it was in.
 */
export async function nextBatch(
  db: LocalDb,
  max: number,
  maxBytes: number,
): Promise<OutboxEntry[]> {
  const blocked = new Set<string>()
  const batch: OutboxEntry[] = []
  let bytes = 0
  let limit = max
  for (const entry of await queueRows(db)) {
    const own = entry.entityKeys[0]
    const isBlocked =
      entry.status === 'failed' ||
      entry.status === 'conflict' ||
      holdKeys(entry).some((k) => blocked.has(k))
    if (isBlocked) {
      if (own) blocked.add(own)
      continue
    }
    if (entry.status !== 'queued') continue
    if (batch.length === 0) limit = Math.min(max, entry.batchLimit ?? max)
    // A file not yet on the server goes alone: the drain uploads its bytes first. The entries
    // before it are pushed first, so a big photo never delays the small actions made before it.
    const fileFirst = entry.file && !entry.file.uploaded
    if (fileFirst && batch.length > 0) break
    const size = JSON.stringify(entry.args).length + 200
    if (batch.length > 0 && (batch.length >= limit || bytes + size > maxBytes)) break
    batch.push(entry)
    bytes += size
    if (fileFirst) break
  }
  return batch
}

/**
 * The keys that decide whether an entry waits: its own entity and the ones it depends on.
 * Entries queued before `dependsOn` existed listed the job among their keys; a job is never
 * created on the device, so those job keys are not dependencies.
 */
function holdKeys(entry: OutboxEntry): string[] {
  const [own, ...rest] = entry.entityKeys
  const needs = entry.dependsOn ?? rest.filter((k) => !k.startsWith('jobs:'))
  return own ? [own, ...needs] : needs
}

/**
 * Picks the next batch and records it as in flight (inFlight.ts) in the same transaction, so
 * nothing can fold a newer edit into an entry between the moment it is read and the moment it
 * is sent. The rows themselves are not rewritten before the push (that was most of a replay's
 * time on the device); whatever settles the batch writes them once, marked sent.
 */
export function takeBatch(db: LocalDb, max: number, maxBytes: number): Promise<OutboxEntry[]> {
  return db.transaction('rw', db.outbox, db.meta, async () => {
    const batch = await nextBatch(db, max, maxBytes)
    if (batch.length > 0)
      await markInFlight(
        db,
        batch.map((e) => e.seq as number),
      )
    return batch.map((e) => ({ ...e, sent: true as const }))
  })
}

export function toMutation(entry: OutboxEntry): Mutation {
  return {
    id: entry.id,
    seq: entry.seq ?? 0,
    name: entry.name,
    args: entry.args,
    at: entry.at,
    v: entry.v ?? UNNAMED_PROTOCOL_VERSION,
  } as Mutation
}

/** Puts a batch back (Uploading → Queued) after an upload that got no answer. */
export async function setStatus(db: LocalDb, batch: OutboxEntry[], status: OutboxEntry['status']) {
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.outbox.bulkPut(batch.map((e) => ({ ...e, status })))
    await settleInFlight(
      db,
      batch.map((e) => e.seq),
    )
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
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.outbox.bulkPut(batch.map((e) => ({ ...e, status: 'queued' as const })))
    await settleInFlight(
      db,
      batch.map((e) => e.seq),
    )
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
 * The server failed on this batch (a 5xx other than 503, or no answer in time): the entries go
 * back to Queued and may lead batches only half as long (nextBatch); an entry that was alone
 * counts one more failure. Repeated, this narrows down to the one entry the server cannot take.
 */
export async function markServerError(db: LocalDb, batch: OutboxEntry[]): Promise<void> {
  const half = Math.max(1, Math.floor(batch.length / 2))
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.outbox.bulkPut(
      batch.map((e) => ({
        ...e,
        status: 'queued' as const,
        sent: true,
        batchLimit: Math.min(e.batchLimit ?? half, half),
        serverErrors: batch.length === 1 ? (e.serverErrors ?? 0) + 1 : e.serverErrors,
      })),
    )
    await settleInFlight(
      db,
      batch.map((e) => e.seq),
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
  await db.transaction('rw', db.outbox, db.meta, async () => {
    await db.outbox.bulkDelete(done)
    if (kept.length > 0) await db.outbox.bulkPut(kept)
    await settleInFlight(
      db,
      batch.map((e) => e.seq),
    )
  })
  return { done: done.length, failed: kept.filter((e) => e.status !== 'queued').length }
}

/** Marks every entry of a batch Failed with one reason (the server refused the whole push). */
export async function failAll(db: LocalDb, batch: OutboxEntry[], reason: string, code: string) {
  await db.transaction('rw', db.outbox, db.meta, async () => {
    for (const entry of batch) {
      await db.outbox.update(entry.seq as number, {
        status: 'failed',
        sent: true,
        attempts: entry.attempts + 1,
        reason,
        code,
      })
    }
    await settleInFlight(
      db,
      batch.map((e) => e.seq),
    )
  })
}

/**
 * Retry: a Failed entry goes back to Queued, keeping its place in the order. Its file (if
 * any) is sent again too, in case the server lost it. An entry refused as `id_reused` (the
 * server applied another action under its id) gets a new id: under the old one it would be
 * refused forever, and nothing of it was applied.
 */
export async function retryEntry(db: LocalDb, seq: number): Promise<void> {
  await db.transaction('rw', db.outbox, db.meta, async () => {
    const entry = await db.outbox.get(seq)
    if (!entry || (entry.status !== 'failed' && entry.status !== 'conflict')) return
    await db.outbox.update(seq, {
      status: 'queued',
      reason: undefined,
      code: undefined,
      serverErrors: undefined,
      batchLimit: undefined,
      file: entry.file ? { ...entry.file, uploaded: false } : undefined,
      ...(entry.code === 'id_reused' ? { id: uuidv7(), sent: false } : {}),
    })
    await resequenceFrom(db, seq)
  })
}

/**
 * Gives the Queued entries from `fromSeq` on new sequence numbers, keeping their order (Failed
 * and Conflict entries keep theirs until they are released themselves; entries being uploaded
 * are left alone). Needed whenever held-back entries are released (Retry, Discard,
 * Keep mine, Use office's): while an entry was Failed, later entries on other entities went on
 * and moved the server's last seq for this device past the ones waiting behind it, and the
 * server refuses a never-seen seq below its last one (stale_seq) to keep a device's order. New
 * numbers (the key generator never goes back) put the released entries after everything sent,
 * in their own order; their ids, which make a resend harmless, do not change.
 */
export async function resequenceFrom(db: LocalDb, fromSeq: number): Promise<void> {
  const flying = await inFlight(db)
  const moving = (await db.outbox.where('seq').aboveOrEqual(fromSeq).toArray()).filter(
    (e) => e.status === 'queued' && !flying.has(e.seq as number),
  )
  if (moving.length === 0) return
  await db.outbox.bulkDelete(moving.map((e) => e.seq as number))
  for (const { seq: _old, ...entry } of moving) await db.outbox.add(entry)
}

/**
 * Discard: the entry leaves the queue and its change is taken back on the device. The entries
 * still queued are then applied again, so a discarded edit cannot undo a later one.
 */
export async function discardEntry(db: LocalDb, user: User, seq: number): Promise<void> {
  await inAllTables(db, async () => {
    const entry = await db.outbox.get(seq)
    if (!entry || entry.status === 'uploading' || (await inFlight(db)).has(seq)) return
    await db.outbox.delete(seq)
    await actionFor(entry.name).revert(db, entry.args)
    await resequenceFrom(db, seq)
    await reapplyPending(db, user)
  })
}

/**
 * A Conflict resolved: the technician's choice for each clash (office's or theirs) is written into
 * the edit, which goes back in the queue under the same id and is sent again; the chosen values
 * show on the device at once. Whatever was chosen, the server's answer and the next pull leave the
 * device and the server equal: "mine" re-bases the clash on the office's value, "office's" turns the
 * technician's value into the office's (nothing left to change there). The parts that did not
 * clash were applied when the edit first arrived.
 */
export async function resolveConflict(db: LocalDb, seq: number, choose: Chooser): Promise<void> {
  await inAllTables(db, async () => {
    const entry = await db.outbox.get(seq)
    if (entry?.status !== 'conflict') return
    const action = actionFor(entry.name)
    if (!action.resolve) return
    const clashes = entry.conflicts ?? []
    const args = action.resolve(entry.args, clashes, choose)
    await db.outbox.update(seq, {
      status: 'queued',
      args:
        'baseVersion' in (args as object) && entry.serverVersion !== undefined
          ? { ...(args as object), baseVersion: entry.serverVersion }
          : args,
      reason: undefined,
      code: undefined,
      conflicts: undefined,
      serverVersion: undefined,
    })
    await action.showChoice?.(db, args, clashes, choose)
    // The server recorded this id as a conflict, so it may keep its seq; those behind it may not.
    await resequenceFrom(db, seq + 1)
  })
}

/** Lays every queued action over the local data again (after a pull or a discard). */
export async function reapplyPending(db: LocalDb, user: User): Promise<void> {
  for (const entry of await listOutbox(db)) await actionFor(entry.name).apply(db, entry.args, user)
}

function inAllTables<T>(db: LocalDb, fn: () => Promise<T>): Promise<T> {
  return db.transaction('rw', db.tables, fn)
}
