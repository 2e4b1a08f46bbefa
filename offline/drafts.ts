import type { LocalDb } from './localDb'

/**
 * Text typed and not saved (a half-written note, an estimate's lines as edited), kept on the
 * device so that a reload, a crashed tab or iOS killing the backgrounded app does not lose it.
 * A draft is not an action: it is never queued, uploaded or laid over the data; it lives in the
 * user's own database (so another technician on the tablet never reads it, and signing out
 * deletes it with the rest) until the editor saves or discards it.
 */
export interface DraftRow {
  /** `kind` and `id` joined (draftKey): one draft per editor. */
  key: string
  /** Which editor: 'note' (id: the job), 'doc' (id: `estimate:<id>`…), 'form' (the form). */
  kind: string
  id: string
  /** What the editor needs to show it again; structured-cloneable, shaped by the editor. */
  value: unknown
  /** When it was last written (ISO), for whoever needs to age drafts out. */
  savedAt: string
}

export const draftKey = (kind: string, id: string) => `${kind}\u0000${id}`

/** A draft to write: its editor, and the value (undefined: delete it, saved or discarded). */
export type DraftChange = { kind: string; id: string; value: unknown }

/** Every draft of this user: a handful of small rows, read once when an editor first loads. */
export function readDrafts(db: LocalDb): Promise<DraftRow[]> {
  return db.drafts.toArray()
}

/**
 * Writes the drafts given (undefined: delete that one) in one transaction. With the database
 * open, the IndexedDB transaction is made before this returns, not a promise turn later as
 * Dexie's would be: written from `pagehide`, a Dexie transaction was never begun before the page
 * went (a reload right after typing lost the draft in Chromium); begun in the event, it commits.
 */
export function writeDrafts(
  db: LocalDb,
  changes: DraftChange[],
  now: Date = new Date(),
): Promise<void> {
  if (changes.length === 0) return Promise.resolve()
  const savedAt = now.toISOString()
  const rows = changes.map(({ kind, id, value }) => ({ key: draftKey(kind, id), kind, id, value }))
  if (!db.isOpen()) {
    return db.transaction('rw', db.drafts, async () => {
      for (const { key, kind, id, value } of rows) {
        if (value === undefined) await db.drafts.delete(key)
        else await db.drafts.put({ key, kind, id, value, savedAt })
      }
    })
  }
  return new Promise((resolve, reject) => {
    const tx = db.backendDB().transaction('drafts', 'readwrite')
    const store = tx.objectStore('drafts')
    for (const { key, kind, id, value } of rows) {
      if (value === undefined) store.delete(key)
      else store.put({ key, kind, id, value, savedAt } satisfies DraftRow)
    }
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error)
    tx.commit?.()
  })
}
