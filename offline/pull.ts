import type { User } from '../protocol/auth'
import { ENTITY_TABLES } from '../protocol/entities'
import type { PullResponse, Removal } from '../protocol/sync'
import { type NetResult, requestJson } from './http'
import type { LocalDb } from './localDb'
import { reapplyPending } from './outbox'

export type PullReport =
  | { outcome: 'done'; changed: number; removed: Removal[]; bytes: number; pages: number }
  | { outcome: Exclude<NetResult<unknown>['kind'], 'ok'>; message?: string }

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
 * there. Downloads run ahead of the writes: each page's request starts as soon as the page before
 * it has arrived (its cursor is all it needs), up to AHEAD pages beyond the last one written, so
 * the network is not idle while a page is written (issue 16: the pre-load's requests used to wait
 * for the previous page's write). Actions still queued are laid over each page again, so fresh
 * server data never hides what the technician did offline.
 */
export async function pull(db: LocalDb, user: User, opts: PullOptions = {}): Promise<PullReport> {
  let changed = 0
  let bytes = 0
  let pages = 0
  let written = 0
  const removed: Removal[] = []
  const cursor = (await db.getMeta<string>('cursor')) ?? null
  let startedOver = false
  // A request still running ahead when this pull returns must not report progress afterwards.
  let finished = false
  const ahead: PullOptions = {
    ...opts,
    onProgress: (loaded, total) => {
      if (!finished) opts.onProgress?.(loaded, total)
    },
  }
  const gate = writtenGate()
  let link = fetchFrom(cursor, 0, ahead, gate)
  try {
    for (;;) {
      const { res, next } = await link
      if (res.kind !== 'ok') {
        // A cursor this server cannot read (a server of another version): begin again, once.
        if (res.kind === 'refused' && res.error.error === 'invalid_cursor' && !startedOver) {
          startedOver = true
          link = fetchFrom(null, pages, ahead, gate)
          continue
        }
        return {
          outcome: res.kind,
          message: res.kind === 'refused' ? res.error.message : undefined,
        }
      }
      const page = res.body
      changed += await applyPull(db, user, page)
      pages++
      gate.written(pages)
      written += page.removed.length + countRows(page)
      removed.push(...page.removed)
      bytes += res.bytes
      opts.onWritten?.(written, page.total ?? null)
      if (!page.more || !next) return { outcome: 'done', changed, removed, bytes, pages }
      link = next
    }
  } finally {
    finished = true
  }
}

/** Pages downloaded beyond the last one written, at most (memory: a page is ≤ ~4 MB). */
const AHEAD = 2

type Fetched = Awaited<ReturnType<typeof fetchPage>>
interface Link {
  res: Fetched
  next: Promise<Link> | null
}

/** Resolves `until(n)` once n pages are written. */
function writtenGate() {
  let count = 0
  const waiting: Array<{ n: number; go: () => void }> = []
  return {
    until(n: number): Promise<void> {
      if (n <= count) return Promise.resolve()
      return new Promise((go) => waiting.push({ n, go }))
    },
    written(n: number) {
      count = n
      for (const w of waiting.filter((x) => x.n <= n)) w.go()
      waiting.splice(0, waiting.length, ...waiting.filter((x) => x.n > n))
    },
  }
}

/** Page `index` of the pull, and (once it has arrived) the request for the page after it. */
function fetchFrom(
  cursor: string | null,
  index: number,
  opts: PullOptions,
  gate: ReturnType<typeof writtenGate>,
): Promise<Link> {
  return fetchPage(cursor, opts).then((res) => {
    if (res.kind !== 'ok' || !res.body.more) return { res, next: null }
    const after = res.body.cursor
    const next = gate.until(index + 1 - AHEAD).then(() => fetchFrom(after, index + 1, opts, gate))
    // Nobody awaits a request made ahead if the pull stops first: its failure is not an error.
    next.catch(() => {})
    return { res, next }
  })
}

function fetchPage(cursor: string | null, opts: PullOptions) {
  const url = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
  return requestJson<PullResponse>(url, {
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
