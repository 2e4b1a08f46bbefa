import { v7 as uuidv7 } from 'uuid'
import type { User } from '../protocol/auth'
import type { Mutation } from '../protocol/mutations'
import { UNNAMED_PROTOCOL_VERSION } from '../protocol/version'
import { actionFor } from './actions'
import type { Chooser } from './actions/localAction'
import { clearInFlight, inFlight, markInFlight } from './inFlight'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'
import { listOutbox, queueRows } from './outboxList'

export {
  clearServerErrors,
  failAll,
  markServerError,
  recordResults,
  releaseSuspect,
  setStatus,
} from './settle'
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
      // Refused for a date far ahead of the server's clock: the device's clock was wrong. Retry
      // (once it is set right) stamps the action now; the same date would be refused forever.
      ...(entry.code === 'clock_ahead' ? { at: new Date().toISOString() } : {}),
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
  return db.transaction('rw', db.dataTables(), fn)
}
