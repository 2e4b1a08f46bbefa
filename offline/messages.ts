import type { DrainProgress, DrainReport } from './syncEngine'

/**
 * Every message between the page and the service worker. One union each way, so both sides
 * switch over the same names and the compiler checks them.
 */
export type PageToSw =
  /** Apply a waiting update now (the user tapped "Reload"). */
  | { type: 'SKIP_WAITING' }
  /** Sign-out: forget cached API answers so the next user never sees them. */
  | { type: 'CLEAR_API_CACHE' }

export type SwToPage =
  | { type: 'SYNC_PROGRESS'; progress: DrainProgress }
  | { type: 'SYNC_DONE'; report: DrainReport }

export const OUTBOX_SYNC_TAG = 'fieldline-outbox'
/** Periodic Background Sync: the worker refreshes the day's work (sw/onPeriodicSync.ts). */
export const PERIODIC_REFRESH_TAG = 'fieldline-refresh'
export const API_CACHE = 'fieldline-api'
