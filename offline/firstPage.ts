import type { PullResponse } from '../protocol/sync'
import { type NetResult, requestJson } from './http'
import type { LocalDb } from './localDb'

/** A pull page being downloaded for a pull that has not started yet. */
export interface EarlyPage {
  result: Promise<NetResult<PullResponse>>
  /** Where the download's progress goes once a pull has taken the page. */
  progress: { to?: (loaded: number, total: number | null) => void }
  /** Stops the download (a pull that starts from a cursor has no use for it). */
  cancel(): void
}

interface Early extends EarlyPage {
  userId: string
  startedAt: number
}

/** A page nobody took within this long is dropped: the next pull asks afresh. */
const KEEP_MS = 30_000

let early: Early | null = null

/** The URL of the pull page after `cursor` (the first page when null). */
export function pullUrl(cursor: string | null): string {
  return `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
}

/**
 * Right after a sign-in, the first pull page starts downloading, before the app has opened the
 * technician's database, read its meta and taken the sync lock (about as long as the sign-in
 * request itself, measured by the pre-load bench). It writes nothing: the pull that follows
 * takes it (takeFirstPage) and writes it as any page, under the lock, with the cursor after it.
 * A page from any moment is a correct start, since every later change has a later revision and
 * comes with the next pages or the next pull. When the device already holds this technician's
 * data (a cursor), the download is cut as soon as that is known: the pull starts from there.
 */
export function prefetchFirstPage(db: LocalDb, timeoutMs = 60_000): void {
  early?.cancel()
  const abort = new AbortController()
  const progress: EarlyPage['progress'] = {}
  const result = requestJson<PullResponse>(pullUrl(null), {
    timeoutMs,
    signal: abort.signal,
    onProgress: (loaded, total) => progress.to?.(loaded, total),
  })
  const mine: Early = {
    userId: db.userId,
    result,
    progress,
    cancel: () => abort.abort(),
    startedAt: Date.now(),
  }
  early = mine
  void db.getMeta<string>('cursor').then(
    (cursor) => {
      if (cursor && early === mine) drop()
    },
    () => {
      if (early === mine) drop()
    },
  )
}

/**
 * The early first page of this user's pull, once (null when there is none, or it is too old).
 * Any other early page is dropped: it was for someone else or for a device that had a cursor.
 */
export function takeFirstPage(userId: string): EarlyPage | null {
  const e = early
  if (!e) return null
  early = null
  if (e.userId === userId && Date.now() - e.startedAt < KEEP_MS) return e
  e.cancel()
  return null
}

function drop(): void {
  early?.cancel()
  early = null
}
