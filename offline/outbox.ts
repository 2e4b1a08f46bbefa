import type { Mutation } from '../protocol/mutations'
import type { MutationResult } from '../protocol/sync'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

/** The queue, oldest first. */
export function listOutbox(db: LocalDb): Promise<OutboxEntry[]> {
  return db.outbox.orderBy('seq').toArray()
}

/**
 * Entries marked Uploading when their upload was cut short (tab killed, browser crashed) go
 * back to Queued. Only called while holding the sync lock, so nobody else is uploading them.
 */
export async function resetInterrupted(db: LocalDb): Promise<void> {
  await db.outbox.where('status').equals('uploading').modify({ status: 'queued' })
}

/**
 * The next entries to upload, in order: Queued ones not held back by an earlier Failed or
 * Conflict entry on the same entity. Held-back entries hold back what depends on them too
 * (a note on a job whose earlier change failed waits; notes on other jobs go on).
 */
export async function nextBatch(
  db: LocalDb,
  max: number,
  maxBytes: number,
): Promise<OutboxEntry[]> {
  const blocked = new Set<string>()
  const batch: OutboxEntry[] = []
  let bytes = 0
  for (const entry of await listOutbox(db)) {
    const isBlocked =
      entry.status === 'failed' ||
      entry.status === 'conflict' ||
      entry.entityKeys.some((k) => blocked.has(k))
    if (isBlocked) {
      for (const k of entry.entityKeys) blocked.add(k)
      continue
    }
    if (entry.status !== 'queued') continue
    const size = JSON.stringify(entry.args).length + 200
    if (batch.length > 0 && (batch.length >= max || bytes + size > maxBytes)) break
    batch.push(entry)
    bytes += size
  }
  return batch
}

export function toMutation(entry: OutboxEntry): Mutation {
  return {
    id: entry.id,
    seq: entry.seq ?? 0,
    name: entry.name,
    args: entry.args,
    at: entry.at,
  } as Mutation
}

export async function setStatus(db: LocalDb, seqs: number[], status: OutboxEntry['status']) {
  await db.outbox.where('seq').anyOf(seqs).modify({ status })
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
  let done = 0
  let failed = 0
  await db.transaction('rw', db.outbox, async () => {
    for (const entry of batch) {
      const seq = entry.seq as number
      const result = byId.get(entry.id)
      if (result?.status === 'applied' || result?.status === 'duplicate') {
        await db.outbox.delete(seq)
        done++
      } else if (result?.status === 'rejected') {
        await db.outbox.update(seq, {
          status: 'failed',
          attempts: entry.attempts + 1,
          reason: result.reason ?? 'The server refused this action.',
          code: result.code,
        })
        failed++
      } else {
        await db.outbox.update(seq, { status: 'queued', attempts: entry.attempts + 1 })
      }
    }
  })
  return { done, failed }
}

/** Marks every entry of a batch Failed with one reason (the server refused the whole push). */
export async function failAll(db: LocalDb, batch: OutboxEntry[], reason: string, code: string) {
  await db.transaction('rw', db.outbox, async () => {
    for (const entry of batch) {
      await db.outbox.update(entry.seq as number, {
        status: 'failed',
        attempts: entry.attempts + 1,
        reason,
        code,
      })
    }
  })
}

/** Retry: a Failed entry goes back to Queued, keeping its place in the order. */
export async function retryEntry(db: LocalDb, seq: number): Promise<void> {
  await db.outbox.update(seq, { status: 'queued', reason: undefined, code: undefined })
}
