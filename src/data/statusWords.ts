import { computed } from '@preact/signals'
import type { OutboxStatus } from '../../offline/outboxEntry'
import { connection } from './connection'
import { uploadProgress } from './sync'

/**
 * What the technician is told about a waiting action, read against what is happening now, not
 * only what the queue row says. A row marked Uploading on a dead link (a request hanging until
 * its time limit) said "Uploading" for most of a minute beside "Connection too weak to use".
 */
export type ShownStatus = OutboxStatus | 'waiting'

/** A push or file upload is on its way right now (this page's or the service worker's). */
export const uploadInFlight = computed(
  () => connection.value === 'online' && uploadProgress.value !== null,
)

/**
 * Offline Actions: Uploading only while a request is in flight on a working connection; an
 * action already tried once that is waiting for the connection to come back reads "Waiting for
 * signal"; one never tried reads Queued, as the brief says.
 */
export function entryStatus(status: OutboxStatus, sent = false): ShownStatus {
  if (status === 'failed' || status === 'conflict') return status
  if (status === 'uploading' && uploadInFlight.value) return 'uploading'
  if (connection.value !== 'online' && (sent || status === 'uploading')) return 'waiting'
  return 'queued'
}

/** The mark on a job, note, photo…: Queued until it is really being uploaded. */
export function itemStatus(status: OutboxStatus): OutboxStatus {
  return status === 'uploading' && !uploadInFlight.value ? 'queued' : status
}

/** The session ended: what waits (kept on the device), and that signing in uploads it. */
export function sessionEndedWords(waiting: number): string {
  const what =
    waiting === 0
      ? 'your changes; they are'
      : waiting === 1
        ? 'the 1 waiting action; it is'
        : `${waiting} waiting actions; they are`
  return `Your session has ended. Sign in again to upload ${what} safe on this device.`
}

/** The server refused this version of the app (426): what waits, and what to do about it. */
export function updateRequiredWords(waiting: number): string {
  if (waiting === 0) return 'Update Fieldline to keep syncing.'
  const actions = waiting === 1 ? '1 waiting action' : `${waiting} waiting actions`
  return `Update Fieldline to upload your ${actions}.`
}

/**
 * Beside "could not upload": what happens to the rest. Online they keep uploading; offline
 * nothing is uploading, and saying so was false: they go when there is signal.
 */
export function othersWords(): string {
  return connection.value === 'online'
    ? 'The others keep uploading.'
    : 'The others will upload when you have signal.'
}
