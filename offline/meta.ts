import type { LocalDb } from './localDb'

/**
 * This browser's id for the server's per-device order checks, made once per local database
 * (so signing out and in again starts a new device sequence, matching the new queue).
 */
export async function deviceId(db: LocalDb): Promise<string> {
  return db.transaction('rw', db.meta, async () => {
    const existing = await db.getMeta<string>('deviceId')
    if (existing) return existing
    const id = crypto.randomUUID()
    await db.setMeta('deviceId', id)
    return id
  })
}
