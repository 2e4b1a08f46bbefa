import type { User } from '../protocol/auth'
import { ENTITY_TABLES } from '../protocol/entities'
import type { PullResponse, Removal } from '../protocol/sync'
import { localActions } from './actions'
import { type NetResult, requestJson } from './http'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

export type PullReport =
  | { outcome: 'done'; changed: number; removed: Removal[] }
  | { outcome: Exclude<NetResult<unknown>['kind'], 'ok'>; message?: string }

/**
 * Fetches what changed for this technician since the last pull (everything, the first time)
 * and writes it in one transaction per page, together with the new cursor, so an interrupted
 * pull leaves the device exactly as it was. Actions still in the queue are then applied again
 * on top, so fresh server data never hides what the technician did offline.
 */
export async function pull(db: LocalDb, user: User, timeoutMs = 30_000): Promise<PullReport> {
  let changed = 0
  const removed: Removal[] = []
  for (;;) {
    const cursor = await db.getMeta<string>('cursor')
    const url = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await requestJson<PullResponse>(url, { timeoutMs })
    if (res.kind !== 'ok') {
      return {
        outcome: res.kind,
        message: res.kind === 'refused' ? res.error.message : undefined,
      }
    }
    changed += await applyPull(db, user, res.body)
    removed.push(...res.body.removed)
    if (!res.body.more) return { outcome: 'done', changed, removed }
  }
}

export async function applyPull(db: LocalDb, user: User, page: PullResponse): Promise<number> {
  const tables = ENTITY_TABLES.map((t) => db.table(t))
  return db.transaction('rw', [...tables, db.outbox, db.meta], async () => {
    let changed = 0
    for (const name of ENTITY_TABLES) {
      const rows = page.changes[name]
      if (rows.length > 0) {
        await db.table(name).bulkPut(rows)
        changed += rows.length
      }
    }
    for (const r of page.removed) await db.table(r.table).delete(r.id)
    await reapplyPending(db, user, await db.outbox.toArray())
    await db.setMeta('cursor', page.cursor)
    await db.setMeta('lastPullAt', new Date().toISOString())
    return changed
  })
}

async function reapplyPending(db: LocalDb, user: User, pending: OutboxEntry[]): Promise<void> {
  for (const entry of pending) {
    // biome-ignore lint/suspicious/noExplicitAny: the registry pairs each name with its args
    await localActions[entry.name].apply(db, entry.args as any, user)
  }
}
