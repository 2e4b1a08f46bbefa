import type { User } from '../protocol/auth'
import { ENTITY_TABLES } from '../protocol/entities'
import type { PullResponse, Removal } from '../protocol/sync'
import { type NetResult, requestJson } from './http'
import type { LocalDb } from './localDb'
import { reapplyPending } from './outbox'

export type PullReport =
  | { outcome: 'done'; changed: number; removed: Removal[]; bytes: number }
  | { outcome: Exclude<NetResult<unknown>['kind'], 'ok'>; message?: string }

/**
 * Fetches what changed for this technician since the last pull (everything, the first time)
 * and writes it in one transaction per page, together with the new cursor, so an interrupted
 * pull leaves the device exactly as it was. Actions still in the queue are then applied again
 * on top, so fresh server data never hides what the technician did offline.
 */
export interface PullOptions {
  timeoutMs?: number
  onProgress?: (loaded: number, total: number | null) => void
}

export async function pull(db: LocalDb, user: User, opts: PullOptions = {}): Promise<PullReport> {
  let changed = 0
  let bytes = 0
  const removed: Removal[] = []
  for (;;) {
    const cursor = await db.getMeta<string>('cursor')
    const url = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await requestJson<PullResponse>(url, {
      timeoutMs: opts.timeoutMs ?? 60_000,
      onProgress: opts.onProgress,
    })
    if (res.kind !== 'ok') {
      return {
        outcome: res.kind,
        message: res.kind === 'refused' ? res.error.message : undefined,
      }
    }
    changed += await applyPull(db, user, res.body)
    removed.push(...res.body.removed)
    bytes += res.bytes
    if (!res.body.more) return { outcome: 'done', changed, removed, bytes }
  }
}

export async function applyPull(db: LocalDb, user: User, page: PullResponse): Promise<number> {
  const tables = ENTITY_TABLES.map((t) => db.table(t))
  return db.transaction('rw', [...tables, db.outbox, db.meta, db.files], async () => {
    let changed = 0
    for (const name of ENTITY_TABLES) {
      const rows = page.changes[name]
      if (rows.length > 0) {
        await db.table(name).bulkPut(rows)
        changed += rows.length
      }
    }
    for (const r of page.removed) {
      await db.table(r.table).delete(r.id)
      if (r.table === 'attachments') await db.files.delete(r.id)
    }
    await reapplyPending(db, user)
    await db.setMeta('cursor', page.cursor)
    await db.setMeta('lastPullAt', new Date().toISOString())
    return changed
  })
}
