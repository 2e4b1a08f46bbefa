import type { LocalDb } from './localDb'

const KEY = 'inflight'

/**
 * The entries in the push that is on its way right now, by seq: one small record in `meta`
 * instead of rewriting every entry of the batch as Uploading before it leaves. Rewriting 500
 * entries (their args and all) took ~50–125 ms of a 200 ms replay budget; this record is one
 * short write. What the Uploading status used to guard, this record guards the same way, read
 * in the same transactions as the queue: nothing folds a newer edit into an entry in flight
 * (perform.ts), Discard refuses it, and renumbering skips it (outbox.ts). The queue list
 * (outboxList.ts) shows those entries as Uploading. Every way a push ends (answered, refused,
 * failed, no answer) clears the record in the transaction that settles the entries; a push cut
 * short by a killed tab leaves it, and the next drain's resetInterrupted marks those entries
 * sent and clears it.
 *
 * Known limit: a page of an app version from before this record, open beside a newer service
 * worker, does not read it (it would let a fold into an in-flight entry through). The update
 * flow reloads such pages when the new worker takes over.
 */
export async function inFlight(db: LocalDb): Promise<Set<number>> {
  return new Set((await db.getMeta<number[]>(KEY)) ?? [])
}

/** Call inside a transaction that includes `db.meta` (and `db.outbox`, to pick the batch). */
export function markInFlight(db: LocalDb, seqs: number[]): Promise<void> {
  return db.setMeta(KEY, seqs)
}

/** Call inside the transaction that settles the batch's entries. */
export async function settleInFlight(db: LocalDb): Promise<void> {
  await db.meta.delete(KEY)
}
