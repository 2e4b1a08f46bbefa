import type { User } from '../protocol/auth'
import { ENTITY_TABLES } from '../protocol/entities'
import type { PullResponse, Removal } from '../protocol/sync'
import { pullUrl, takeFirstPage } from './firstPage'
import { type NetResult, requestJson } from './http'
import type { LocalDb } from './localDb'
import { reapplyPending } from './outbox'

export type PullReport =
  | { outcome: 'done'; changed: number; removed: Removal[]; bytes: number; pages: number }
  /** `code`: the server's error code of a refusal, e.g. `update_required` (a 426). */
  | { outcome: Exclude<NetResult<unknown>['kind'], 'ok'>; message?: string; code?: string }

export interface PullOptions {
  timeoutMs?: number
  /** Bytes of the page being downloaded, and its Content-Length when the server sent one. */
  onProgress?: (loaded: number, total: number | null) => void
  /**
   * Entities (and removals) written by this pull so far, out of the server's estimate for the
   * whole pull when it gave one (a technician's pull of more than one page).
   */
  onWritten?: (written: number, total: number | null) => void
}

/**
 * Fetches what changed for this user since the last pull (everything, the first time), page
 * after page while the server says `more`. Each page is written in one transaction together with
 * the cursor that follows it, so a pull cut anywhere (offline, tab closed, out of space) leaves
 * the device with whole pages only and the cursor of the last one written: the next pull resumes
 * there. The next page downloads while the current one is written. Actions still queued are laid
 * over each page again, so fresh server data never hides what the technician did offline.
 */
export async function pull(db: LocalDb, user: User, opts: PullOptions = {}): Promise<PullReport> {
  let changed = 0
  let bytes = 0
  let pages = 0
  let written = 0
  const removed: Removal[] = []
  let cursor = (await db.getMeta<string>('cursor')) ?? null
  let startedOver = false
  // A first page the sign-in started early (firstPage.ts) stands for the request below.
  const early = takeFirstPage(db.userId)
  let next: Promise<NetResult<PullResponse>>
  if (early && cursor === null) {
    early.progress.to = opts.onProgress
    // Lost on the way (offline for a moment, cut): asked again, as the pull would have.
    next = early.result.then((r) =>
      r.kind === 'offline' || r.kind === 'timeout' ? fetchPage(null, opts) : r,
    )
  } else {
    early?.cancel()
    next = fetchPage(cursor, opts)
  }
  for (;;) {
    const res = await next
    if (res.kind !== 'ok') {
      // A cursor this server cannot read (a server of another version): begin again, once.
      if (res.kind === 'refused' && res.error.error === 'invalid_cursor' && !startedOver) {
        startedOver = true
        cursor = null
        next = fetchPage(null, opts)
        continue
      }
      return {
        outcome: res.kind,
        message: res.kind === 'refused' ? res.error.message : undefined,
        code: res.kind === 'refused' ? res.error.error : undefined,
      }
    }
    const page = res.body
    if (page.more) next = fetchPage(page.cursor, opts)
    changed += await applyPull(db, user, page)
    cursor = page.cursor
    pages++
    written += page.removed.length + countRows(page)
    removed.push(...page.removed)
    bytes += res.bytes
    opts.onWritten?.(written, page.total ?? null)
    if (!page.more) return { outcome: 'done', changed, removed, bytes, pages }
  }
}

function fetchPage(cursor: string | null, opts: PullOptions) {
  return requestJson<PullResponse>(pullUrl(cursor), {
    timeoutMs: opts.timeoutMs ?? 60_000,
    onProgress: opts.onProgress,
  })
}

function countRows(page: PullResponse): number {
  let n = 0
  for (const name of ENTITY_TABLES) n += page.changes[name].length
  return n
}

/** Writes one page and the cursor after it, in one transaction. */
export async function applyPull(db: LocalDb, user: User, page: PullResponse): Promise<number> {
  const tables = ENTITY_TABLES.map((t) => db.table(t))
  return db.transaction('rw', [...tables, db.outbox, db.meta, db.files], async () => {
    let changed = 0
    // Removals first: the server sends them before any row of the same pull, so a row that left
    // and came back is deleted and then written again, never the other way round.
    for (const r of page.removed) {
      await db.table(r.table).delete(r.id)
      if (r.table === 'attachments') await db.files.delete(r.id)
    }
    for (const name of ENTITY_TABLES) {
      const rows = page.changes[name]
      if (rows.length > 0) {
        await db.table(name).bulkPut(rows)
        changed += rows.length
      }
    }
    await reapplyPending(db, user)
    await db.setMeta('cursor', page.cursor)
    await db.setMeta('lastPullAt', new Date().toISOString())
    return changed
  })
}
