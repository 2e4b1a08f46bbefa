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
 * failed, no answer) takes its entries out of the record in the transaction that writes them
 * sent; a push cut short by a killed tab leaves them in, and the next drain's resetInterrupted
 * marks them sent and empties the record.
 *
 * Known limit: a page of an app version from before this record, open beside a newer service
 * worker, does not read it: it could fold an edit into an entry in flight or Discard one (and
 * the settle would then write the discarded entry back). The update flow reloads such pages
 * when the new worker takes over.
 */
export async function inFlight(db: LocalDb): Promise<Set<number>> {
  return new Set((await db.getMeta<number[]>(KEY)) ?? [])
}

/**
 * Adds a batch to the record. Call inside the transaction that picks it (with `db.outbox` and
 * `db.meta`). Adds rather than replaces: without Web Locks (older Safari) two drains can overlap.
 */
export async function markInFlight(db: LocalDb, seqs: number[]): Promise<void> {
  const flying = await inFlight(db)
  for (const seq of seqs) flying.add(seq)
  await db.setMeta(KEY, [...flying])
}

/**
 * Takes these entries out of the record, in the transaction that settles them (writes them
 * sent). Only these: settling one entry must never drop the guard on another still in flight.
 */
export async function settleInFlight(
  db: LocalDb,
  seqs: Iterable<number | undefined>,
): Promise<void> {
  const flying = await inFlight(db)
  if (flying.size === 0) return
  for (const seq of seqs) if (seq !== undefined) flying.delete(seq)
  if (flying.size === 0) await db.meta.delete(KEY)
  else await db.setMeta(KEY, [...flying])
}

/** Empties the record: only for a push cut short, once its entries are marked sent. */
export async function clearInFlight(db: LocalDb): Promise<void> {
  await db.meta.delete(KEY)
}
