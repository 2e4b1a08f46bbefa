import { discardEntry, resolveConflict, retryEntry } from '../../offline/outbox'
import type { Choice } from '../../protocol/merge'
import { clashKey } from '../../protocol/merge'
import { activeDb, user } from './session'
import { syncNow } from './sync'

/** What Offline Actions does to an entry of the queue; each then tries an upload at once. */

async function withQueue(fn: (db: NonNullable<ReturnType<typeof activeDb>>) => Promise<void>) {
  const db = activeDb()
  if (!db) return
  await fn(db)
  void syncNow()
}

/** Offline Actions: Retry a Failed (or Conflict) action, in its place in the order. */
export const retryAction = (seq: number) => withQueue((db) => retryEntry(db, seq))
/** Offline Actions: Discard — drop the action and take its change back on the device. */
export const discardAction = (seq: number) =>
  withQueue(async (db) => (user.value ? discardEntry(db, user.value, seq) : undefined))
/**
 * Offline Actions: a Conflict resolved, one choice per clash (keyed by clashKey), 'mine' where no
 * choice was given.
 */
export const resolveConflictWith = (seq: number, choices: Record<string, Choice>) =>
  withQueue((db) => resolveConflict(db, seq, (c) => choices[clashKey(c)] ?? 'mine'))
