import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

/**
 * The queue, oldest first. On its own, not in outbox.ts: the first screen's pending counts read
 * the queue, and importing it from outbox.ts would bring the queue's writers and every action's
 * local effect (offline/actions) into the first screen's chunk.
 */
export function listOutbox(db: LocalDb): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').toArray()
}
