import { signal } from '@preact/signals'

export interface StorageFigures {
  usedBytes: number
  quotaBytes: number
  persisted: boolean
}

/** Storage used and available on this device; null where the browser cannot tell. */
export const storageFigures = signal<StorageFigures | null>(null)

/**
 * Asks the browser to keep our data even under storage pressure (Safari and Chrome may
 * otherwise evict it), once signed in. Browsers may say no; the app works either way.
 */
export async function requestPersistence(): Promise<void> {
  try {
    if (navigator.storage?.persisted && !(await navigator.storage.persisted())) {
      await navigator.storage.persist?.()
    }
  } catch {
    // Not available (e.g. WebKitGTK without the StorageAPI feature): nothing to do.
  }
  await refreshStorageFigures()
}

export async function refreshStorageFigures(): Promise<void> {
  try {
    if (!navigator.storage?.estimate) return
    const { usage = 0, quota = 0 } = await navigator.storage.estimate()
    const persisted = (await navigator.storage.persisted?.()) ?? false
    storageFigures.value = { usedBytes: usage, quotaBytes: quota, persisted }
  } catch {
    storageFigures.value = null
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(1)} GB`
}
