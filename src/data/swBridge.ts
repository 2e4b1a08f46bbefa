import { effect, signal } from '@preact/signals'
import type { Workbox } from 'workbox-window'
import { OUTBOX_SYNC_TAG, PERIODIC_REFRESH_TAG, type SwToPage } from '../../offline/messages'

/**
 * The page's one bridge to the service worker: registration, "update ready", Background Sync
 * registration and the typed messages both ways.
 */
export const updateReady = signal(false)
let wb: Workbox | undefined
let onTakenOver: (() => void) | undefined

/**
 * Registers the worker. `whenTakenOver` runs when a new version's worker takes control of this
 * page (this tab applied it, or another tab did): the page then runs old code under a new
 * worker, and must reload (update.ts decides when it is safe).
 */
export function registerServiceWorker(
  onMessage: (m: SwToPage) => void,
  whenTakenOver: () => void,
): void {
  // The dev server has no service worker (and answers /sw.js with index.html).
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  onTakenOver = whenTakenOver
  // Loaded after the first screen's code (Workbox registers on the page's load anyway): it keeps
  // about 2 KB off what the first screen must download before it shows.
  void import('workbox-window').then(({ Workbox }) => {
    const w = new Workbox('/sw.js', { scope: '/' })
    wb = w
    // Also fires at start when a worker was already waiting (a version that arrived last time).
    w.addEventListener('waiting', () => {
      updateReady.value = true
    })
    // A worker taking control of a page another worker controlled is a new version. (Workbox's
    // isUpdate only says whether the page was controlled when it registered: false for the whole
    // life of a page opened on a first visit.)
    let controlled = Boolean(navigator.serviceWorker.controller)
    w.addEventListener('controlling', () => {
      if (controlled) onTakenOver?.()
      controlled = true
    })
    w.addEventListener('message', (event) => onMessage(event.data as SwToPage))
    void w.register()
  })
}

/** Asks the server whether sw.js changed (start, visible again, every few hours). */
export function checkForUpdate(): void {
  void wb?.update().catch(() => {
    // Offline or the server down: the next check will do.
  })
}

/**
 * Activates the waiting worker. messageSkipWaiting() speaks to the *waiting* worker; a message
 * through messageSW() reached the active (old) one, which made Reload do nothing when the new
 * worker had arrived long after this page registered. The page reloads once the new worker
 * controls it (whenTakenOver). Without a worker (dev), a plain reload.
 */
export function activateUpdate(): void {
  if (!wb) {
    location.reload()
    return
  }
  wb.messageSkipWaiting()
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

interface PeriodicSyncRegistration {
  periodicSync?: { register(tag: string, options: { minInterval: number }): Promise<void> }
}

/** Chrome never wakes an app more often than it decides; this is the least we ask for. */
const REFRESH_EVERY_MS = 12 * 60 * 60 * 1000

/**
 * Asks Chrome to wake the worker about twice a day to refresh the day's work
 * (sw/onPeriodicSync.ts), so it is on the phone before the first job. Only an installed Chromium
 * app gets it; elsewhere, or when the permission is denied, this quietly does nothing and the
 * page refreshes at start and when it becomes visible.
 */
export function startPeriodicRefresh(signedIn: () => boolean): void {
  effect(() => {
    if (signedIn()) void requestPeriodicRefresh()
  })
}

async function requestPeriodicRefresh(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  try {
    const reg = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration &
      PeriodicSyncRegistration
    await reg.periodicSync?.register(PERIODIC_REFRESH_TAG, { minInterval: REFRESH_EVERY_MS })
  } catch {
    // Not installed, or the permission was denied: the page's own triggers remain.
  }
}
