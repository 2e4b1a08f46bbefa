import { signal } from '@preact/signals'
import { pendingCount } from './outboxState'
import { activateUpdate, checkForUpdate, updateReady } from './swBridge'
import { updateRequired } from './sync'

/**
 * When a new version of Fieldline takes over. A new service worker waits until the technician
 * taps Reload, or the app is idle with nothing to upload; either way the page reloads only at a
 * safe moment: no form with something typed and not saved, no sheet or dialog open. A tab whose
 * worker was replaced by another tab's Reload reloads the same way, so two versions' pages do not
 * go on writing one database (a new Dexie schema would close the old page's connection anyway).
 *
 * Known limit: an old page with unsaved input saves that one action with its old code before it
 * reloads; the server accepts the previous protocol version for that reason.
 */

/** The technician asked for the update while something was being edited: it waits for that. */
export const updateWaitsForSafeMoment = signal(false)

/** How often an open app asks for a new version (besides start and becoming visible). */
const CHECK_EVERY_MS = 3 * 60 * 60 * 1000
/** Untouched this long, with nothing to upload, the app updates by itself (a kiosk tablet). */
export const IDLE_MS = 5 * 60 * 1000

let lastInput = Date.now()
let reloadWhenSafe = false

/** Nothing typed and unsaved, no dialog open: a reload now loses nothing. */
export function safeToReload(): boolean {
  return document.querySelector('form[data-unsaved], dialog[open]') === null
}

/** The Reload button on "A new version of Fieldline is ready". */
export function applyUpdate(): void {
  if (safeToReload()) {
    activateUpdate()
  } else {
    updateWaitsForSafeMoment.value = true
  }
}

/** The new worker controls this page: reload now if safe, else as soon as it is. */
export function whenTakenOver(): void {
  reloadWhenSafe = true
  settle()
}

function settle(): void {
  if (!safeToReload()) return
  if (reloadWhenSafe) {
    location.reload()
    return
  }
  if (updateWaitsForSafeMoment.value && updateReady.value) {
    updateWaitsForSafeMoment.value = false
    activateUpdate()
  }
}

function idleUpdate(): void {
  const idle = Date.now() - lastInput >= IDLE_MS
  // A queue the server refuses for this version (426) can only upload after the update: it does
  // not hold the update back, and it is safe in IndexedDB across the reload.
  const nothingToLose = pendingCount.value === 0 || updateRequired.value
  if (updateReady.value && idle && nothingToLose && safeToReload()) activateUpdate()
}

/**
 * Marks forms with typed, unsaved input (cleared when the form is submitted or reset), watches
 * for the safe moment, the idle kiosk and new versions.
 */
export function startUpdateWatch(): void {
  const mark = (e: Event) => {
    lastInput = Date.now()
    ;(e.target as Element | null)?.closest?.('form')?.setAttribute('data-unsaved', '')
  }
  const clear = (e: Event) => {
    ;(e.target as Element | null)?.removeAttribute?.('data-unsaved')
    queueMicrotask(settle)
  }
  document.addEventListener('input', mark, true)
  document.addEventListener('change', mark, true)
  document.addEventListener('submit', clear, true)
  document.addEventListener('reset', clear, true)
  document.addEventListener('close', () => queueMicrotask(settle), true)
  for (const type of ['pointerdown', 'keydown']) {
    document.addEventListener(type, () => (lastInput = Date.now()), true)
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') checkForUpdate()
  })
  setInterval(checkForUpdate, CHECK_EVERY_MS)
  // Forms can also go away without a submit (the technician navigates off them).
  setInterval(() => {
    settle()
    idleUpdate()
  }, 1_000)
}
