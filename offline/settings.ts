import type { LocalDb } from './localDb'

/** Offline Settings, with the defaults the original feature description gives. */
export interface OfflineSettings {
  /** ON: actions are saved on the device and upload later. OFF: actions need a connection. */
  offlineEnabled: boolean
  /** OFF (default): a photo cannot be added while offline, and the user is told why. */
  offlinePhotosEnabled: boolean
  /** ON (default): pre-load downloads full photos and PDFs only when not on cellular data. */
  downloadPhotosOverWifi: boolean
}

export const DEFAULT_SETTINGS: OfflineSettings = {
  offlineEnabled: true,
  offlinePhotosEnabled: false,
  downloadPhotosOverWifi: true,
}

export async function loadSettings(db: LocalDb): Promise<OfflineSettings> {
  return { ...DEFAULT_SETTINGS, ...(await db.getMeta<Partial<OfflineSettings>>('settings')) }
}

export async function saveSettings(db: LocalDb, settings: OfflineSettings): Promise<void> {
  await db.setMeta('settings', settings)
}
