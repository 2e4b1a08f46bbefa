import { signal } from '@preact/signals'
import type { Workbox } from 'workbox-window'
import { OUTBOX_SYNC_TAG, type PageToSw, type SwToPage } from '../../offline/messages'

/**
 * The page's one bridge to the service worker: registration, "update ready", Background Sync
 * registration and the typed messages both ways.
 */
export const updateReady = signal(false)
let wb: Workbox | undefined

export function registerServiceWorker(onMessage: (m: SwToPage) => void): void {
  // The dev server has no service worker (and answers /sw.js with index.html).
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  // Loaded after the first screen's code (Workbox registers on the page's load anyway): it keeps
  // about 2 KB off what the first screen must download before it shows.
  void import('workbox-window').then(({ Workbox }) => {
    const w = new Workbox('/sw.js', { scope: '/' })
    wb = w
    w.addEventListener('waiting', () => {
      updateReady.value = true
    })
    w.addEventListener('message', (event) => onMessage(event.data as SwToPage))
    void w.register()
  })
}

function post(message: PageToSw): void {
  wb?.messageSW(message)
}

/** The user tapped "Reload" on the update prompt: activate the new worker, then reload. */
export function applyUpdate(): void {
  if (!wb) {
    location.reload()
    return
  }
  wb.addEventListener('controlling', () => location.reload())
  post({ type: 'SKIP_WAITING' })
}

interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> }
}

/**
 * Asks Chrome to wake the service worker when the connection returns, even if every tab is
 * closed by then. Safari has no Background Sync: this returns false and the page's own
 * triggers (start, online, visible again, timer, refresh) do the work.
 */
export async function requestBackgroundSync(): Promise<boolean> {
  if (!('serviceWorker' in navigator)) return false
  const reg = (await navigator.serviceWorker.getRegistration()) as
    | (ServiceWorkerRegistration & SyncRegistration)
    | undefined
  if (!reg?.sync || !reg.active) return false
  try {
    await reg.sync.register(OUTBOX_SYNC_TAG)
    return true
  } catch {
    return false
  }
}
