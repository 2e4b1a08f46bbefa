import type { Page } from '@playwright/test'

export interface DeviceQueue {
  /** Dexie's schema version of the signed-in user's database (IndexedDB's version / 10). */
  schema: number
  entries: Array<{
    seq: number
    id: string
    name: string
    status: string
    v?: number
    args: unknown
  }>
}

/**
 * The queue as it is in the page's IndexedDB, read with the browser's own API (not the app's
 * code, which may be of either build): whatever build wrote it, this is what is on the device.
 */
export function deviceQueue(page: Page): Promise<DeviceQueue> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '')
    const name = names.find((n) => n.startsWith('fieldline-user-'))
    if (!name) throw new Error(`no user database among ${names.join(', ')}`)
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name)
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    try {
      const entries = await new Promise<DeviceQueue['entries']>((resolve, reject) => {
        const req = db.transaction('outbox').objectStore('outbox').getAll()
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
      return { schema: db.version / 10, entries: entries.sort((a, b) => a.seq - b.seq) }
    } finally {
      db.close()
    }
  })
}
