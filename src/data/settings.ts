import { effect, signal } from '@preact/signals'
import {
  DEFAULT_SETTINGS,
  loadSettings,
  type OfflineSettings,
  saveSettings,
} from '../../offline/settings'
import { activeDb, user } from './session'

/** Offline Settings of the signed-in technician, stored on this device. */
export const settings = signal<OfflineSettings>(DEFAULT_SETTINGS)

effect(() => {
  if (!user.value) return
  const db = activeDb()
  if (db) void loadSettings(db).then((s) => (settings.value = s))
})

export async function changeSetting<K extends keyof OfflineSettings>(
  key: K,
  value: OfflineSettings[K],
) {
  const db = activeDb()
  settings.value = { ...settings.value, [key]: value }
  if (db) await saveSettings(db, settings.value)
}

interface NetworkInformation {
  type?: string
}

/**
 * Cellular data, per the Network Information API where the browser has it (Chrome on Android).
 * Where it cannot tell (Safari, desktop), the answer is "not cellular", as the issue asks.
 */
export function onCellular(): boolean {
  const connection = (navigator as Navigator & { connection?: NetworkInformation }).connection
  return connection?.type === 'cellular'
}

/** Whether a pre-load may download full photos and PDFs right now. */
export function mayDownloadFullFiles(): boolean {
  return !(settings.value.downloadPhotosOverWifi && onCellular())
}
