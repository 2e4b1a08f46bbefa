import { effect, signal } from '@preact/signals'
import { retryDelayMs } from '../../offline/backoff'
import type { SwToPage } from '../../offline/messages'
import type { PreloadProgress } from '../../offline/preload'
import type { DrainOutcome, DrainProgress } from '../../offline/syncEngine'
import { UPDATE_REQUIRED } from '../../protocol/version'
import { showToast, toast } from './alerts'
import { connection, onConnectionBack } from './connection'
import { waitingCount } from './outboxState'
import { activeDb, sessionExpired, user } from './session'
import { mayDownloadFullFiles } from './settings'
import { refreshStorageFigures, requestPersistence } from './storage'
import { checkForUpdate } from './swBridge'

export type SyncPhase = 'idle' | 'uploading' | 'pulling'

/** Drain, pre-load and retention: a chunk of their own, not part of the first screen. */
const work = () => import('./syncWork')

export const syncPhase = signal<SyncPhase>('idle')
/** "Uploading 3 of 12" while the queue drains (in this tab or in the service worker). */
export const uploadProgress = signal<DrainProgress | null>(null)
/** The Pre-load's progress bar: bytes of the data, then full files one by one. */
export const preloadProgress = signal<PreloadProgress | null>(null)
export const lastSyncAt = signal<string | null>(null)
/** When this device last finished a pre-load; null until the first one of this user. */
export const lastPullAt = signal<string | null>(null)
/**
 * The server no longer takes this version of the app (426 update_required): the queue waits,
 * untouched, and the app says "Update Fieldline to upload your n waiting actions" until a new
 * version is running (or an upload goes through: the server was rolled back).
 */
export const updateRequired = signal(false)

/** What a drain's end says about the app's version; a refusal also looks for the new one now. */
function noteVersion(outcome: DrainOutcome): void {
  if (outcome === 'update_required') {
    if (!updateRequired.value) checkForUpdate()
    updateRequired.value = true
  } else if (outcome === 'done') {
    updateRequired.value = false
  }
}

let running: Promise<void> | null = null
let rerun: { pull: boolean } | null = null
let failures = 0
let retryTimer: ReturnType<typeof setTimeout> | undefined

/**
 * Uploads the queue, then (when asked) pre-loads what changed. Calls while one is running are
 * folded into one more run after it, so a burst of triggers costs one round.
 */
export function syncNow(opts: { pull?: boolean } = {}): Promise<void> {
  if (running) {
    rerun = { pull: Boolean(rerun?.pull || opts.pull) }
    return running
  }
  running = (async () => {
    let next: { pull: boolean } | null = { pull: Boolean(opts.pull) }
    while (next) {
      rerun = null
      await syncOnce(next.pull)
      next = rerun
    }
  })().finally(() => {
    running = null
  })
  return running
}

async function syncOnce(withPull: boolean): Promise<void> {
  const db = activeDb()
  const me = user.value
  if (!db || !me || sessionExpired.value) return
  clearTimeout(retryTimer)
  syncPhase.value = 'uploading'
  try {
    const { drain } = await work()
    const report = await drain(db, {
      onProgress: (p) => {
        uploadProgress.value = p
      },
    })
    uploadProgress.value = null
    noteVersion(report.outcome)
    if (report.outcome === 'unauthenticated') {
      sessionExpired.value = true
    } else if (report.outcome === 'done') {
      failures = 0
      lastSyncAt.value = new Date().toISOString()
      await db.setMeta('lastSyncAt', lastSyncAt.value)
      if (withPull) await runPreload()
    } else {
      failures++
    }
  } finally {
    uploadProgress.value = null
    preloadProgress.value = null
    syncPhase.value = 'idle'
    scheduleRetry()
  }
}

async function runPreload(): Promise<void> {
  const db = activeDb()
  const me = user.value
  if (!db || !me) return
  syncPhase.value = 'pulling'
  const { preload } = await work()
  const report = await preload(db, me, {
    fullFiles: mayDownloadFullFiles(),
    onProgress: (p) => {
      preloadProgress.value = p
    },
  })
  if (report.outcome === 'unauthenticated') sessionExpired.value = true
  if (report.outcome === 'refused' && report.code === UPDATE_REQUIRED) {
    noteVersion('update_required')
  }
  if (report.outcome !== 'done') return
  lastPullAt.value = (await db.getMeta<string>('lastPreloadAt')) ?? null
  for (const r of report.removed) {
    if (location.hash.includes(r.id))
      showToast(`This was removed from your device: ${r.reason}`, 'info', 10_000)
  }
  void refreshStorageFigures()
}

/**
 * Refresh (the button, pull-to-refresh): the same run as a trigger, then a word on how it went.
 * The spinning icon alone told a screen reader nothing, and with no signal nothing at all
 * happened. A run that ended on a lapsed session or an old version says nothing here: those
 * have their own notices.
 */
export async function refreshNow(): Promise<void> {
  const before = lastPullAt.value
  if (connection.value !== 'offline') await syncNow({ pull: true })
  if (sessionExpired.value || updateRequired.value) return
  if (lastPullAt.value !== before) {
    // Any message up (a job removed from the device and why, an upload's refusal) says more
    // than "Refreshed.": it stays.
    if (!toast.peek()) showToast('Refreshed.', 'info', 3_000)
  } else
    showToast(
      connection.value === 'offline'
        ? 'No signal. You are seeing what is on this device; it refreshes when the signal returns.'
        : 'Could not reach the server. You are seeing what is on this device.',
      'offline',
      6_000,
    )
}

/** The Pre-load button: upload what waits, then load everything for offline use. */
export function preloadNow(): Promise<void> {
  return syncNow({ pull: true })
}

/** While actions wait, try again on a backoff timer (the Safari path has nothing else). */
function scheduleRetry(): void {
  clearTimeout(retryTimer)
  // Failed and Conflict entries wait for the technician, not for a timer.
  if (waitingCount.value === 0 || sessionExpired.value) return
  retryTimer = setTimeout(() => void syncNow(), retryDelayMs(Math.max(1, failures)))
}

/** Progress the service worker reports when it uploads from a Background Sync. */
export function onSwMessage(message: SwToPage): void {
  if (message.type === 'SYNC_PROGRESS') uploadProgress.value = message.progress
  if (message.type === 'SYNC_DONE') {
    uploadProgress.value = null
    noteVersion(message.report.outcome)
    if (message.report.outcome === 'done') lastSyncAt.value = new Date().toISOString()
  }
}

/**
 * The page's own triggers, which are all Safari has: start, connection back, page visible
 * again, and the retry timer. Chrome's Background Sync is an extra, not a requirement.
 */
export function startSyncTriggers(): void {
  onConnectionBack(() => void syncNow({ pull: true }))
  addEventListener('online', () => void syncNow())
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void syncNow({ pull: true })
  })
  // Each time a technician is signed in (app start, or sign-in on a shared tablet): load their
  // sync times, clear what aged out of the window, and start with an upload and a pre-load.
  effect(() => {
    if (!user.value) return
    const db = activeDb()
    if (!db) return
    void (async () => {
      lastSyncAt.value = (await db.getMeta<string>('lastSyncAt')) ?? null
      lastPullAt.value = (await db.getMeta<string>('lastPreloadAt')) ?? null
      const { applyRetention } = await work()
      await applyRetention(db, new Date())
      void requestPersistence()
      if (connection.value !== 'offline') void syncNow({ pull: true })
    })()
  })
}
