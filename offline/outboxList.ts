import { inFlight } from './inFlight'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

/**
 * The queue, oldest first, as the technician sees it: entries in the push on its way now show
 * as Uploading (and sent). On its own, not in outbox.ts: the first screen's pending counts read
 * the queue, and importing it from outbox.ts would bring the queue's writers and every action's
 * local effect (offline/actions) into the first screen's chunk.
 */
export function listOutbox(db: LocalDb): Promise<OutboxEntry[]> {
  return db.transaction('r', db.outbox, db.meta, async () => {
    const [rows, flying] = await Promise.all([queueRows(db), inFlight(db)])
    if (flying.size === 0) return rows
    return rows.map((e) =>
      e.status === 'queued' && flying.has(e.seq as number)
        ? { ...e, status: 'uploading' as const, sent: true }
        : e,
    )
  })
}

/** The queue's rows as stored, oldest first (what the sync engine picks batches from). */
export function queueRows(db: LocalDb): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').toArray()
}
