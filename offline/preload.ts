import type { User } from '../protocol/auth'
import { downloadFile } from './files'
import type { LocalDb } from './localDb'
import { withSyncLock } from './lock'
import { type PullReport, pull } from './pull'
import { applyRetention } from './retention'

export interface PreloadProgress {
  phase: 'data' | 'files'
  done: number
  /** null while the size is not known yet. */
  total: number | null
  unit: 'bytes' | 'items'
}

export interface PreloadOptions {
  /** Download full photos and PDFs (the settings and the connection type decide). */
  fullFiles: boolean
  onProgress?: (p: PreloadProgress) => void
}

export type PreloadReport = PullReport & { files?: number }

/**
 * Pre-load: everything in the window for offline use. The records come in one pull (a delta
 * after the first time; page after page when it is big, each page kept as it arrives, so a
 * pre-load cut halfway resumes where it stopped), then — when allowed — the full photos and PDFs the device does not
 * hold yet, a few at a time. Thumbnails always come with the records.
 */
export async function preload(
  db: LocalDb,
  user: User,
  opts: PreloadOptions,
): Promise<PreloadReport> {
  // Entities written out of the server's total when it tells one (a pull of several pages);
  // else the bytes of the page downloading.
  let counted = false
  // Under the upload's Web Lock: a page and the service worker (periodic refresh) take turns, so
  // two pulls never write the same pages at once and a pull never interleaves with an upload.
  const report = await withSyncLock(db.userId, () =>
    pull(db, user, {
      onProgress: (done, total) => {
        if (!counted) opts.onProgress?.({ phase: 'data', done, total, unit: 'bytes' })
      },
      onWritten: (done, total) => {
        if (total === null) return
        counted = true
        opts.onProgress?.({ phase: 'data', done: Math.min(done, total), total, unit: 'items' })
      },
    }),
  )
  if (report.outcome !== 'done') return report
  await applyRetention(db, new Date())
  let files = 0
  if (opts.fullFiles) {
    const have = new Set(await db.files.toCollection().primaryKeys())
    const missing = (await db.attachments.toArray()).filter((a) => !have.has(a.id))
    const total = missing.length
    let done = 0
    const next = async (): Promise<void> => {
      const item = missing.shift()
      if (!item) return
      if (await downloadFile(db, item.id, item.size)) files++
      opts.onProgress?.({ phase: 'files', done: ++done, total, unit: 'items' })
      return next()
    }
    await Promise.all([next(), next(), next()])
  }
  await db.setMeta('lastPreloadAt', new Date().toISOString())
  return { ...report, files }
}
