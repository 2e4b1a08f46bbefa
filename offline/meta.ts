import type { LocalDb } from './localDb'

export interface DeviceIdentity {
  /** This browser's id for the server's per-device order checks. */
  id: string
  /**
   * Proof that a push comes from this device (protocol/sync.ts DeviceSecret): registered by the
   * first push, required by the server from then on. Never shown, never sent anywhere else.
   */
  secret: string
}

/**
 * This device's identity, made once per local database (so signing out and in again starts a
 * new device sequence, matching the new queue). A database from before secrets gets one added
 * to its existing id; the server lets that id's next push claim it.
 */
export async function deviceIdentity(db: LocalDb): Promise<DeviceIdentity> {
  return db.transaction('rw', db.meta, async () => {
    let id = await db.getMeta<string>('deviceId')
    let secret = await db.getMeta<string>('deviceSecret')
    if (!id) {
      id = crypto.randomUUID()
      await db.setMeta('deviceId', id)
    }
    if (!secret) {
      secret = newSecret()
      await db.setMeta('deviceSecret', secret)
    }
    return { id, secret }
  })
}

/**
 * A new identity for this device, when the server says its device id belongs to another
 * installation (`device_not_yours`: an id from before device secrets that someone else claimed
 * first). The queued actions keep their own ids, so nothing applies twice under the new one.
 */
export async function renewDeviceIdentity(db: LocalDb): Promise<DeviceIdentity> {
  return db.transaction('rw', db.meta, async () => {
    const identity = { id: crypto.randomUUID(), secret: newSecret() }
    await db.setMeta('deviceId', identity.id)
    await db.setMeta('deviceSecret', identity.secret)
    return identity
  })
}

/** 32 random bytes as base64url (43 characters). */
function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}
