import type { ApiError } from '../protocol/auth'
import { MAX_PUSH_BATCH } from '../protocol/limits'
import type { PushRequest, PushResponse } from '../protocol/sync'
import { UPDATE_REQUIRED } from '../protocol/version'
import { Bisection } from './bisect'
import { uploadFile } from './files'
import { requestJson } from './http'
import type { LocalDb } from './localDb'
import { withSyncLock } from './lock'
import { type DeviceIdentity, deviceIdentity, renewDeviceIdentity } from './meta'
import {
  failAll,
  recordResults,
  resetInterrupted,
  setStatus,
  takeBatch,
  toMutation,
} from './outbox'
import type { OutboxEntry } from './outboxEntry'
import { settle } from './settle'

/**
 * Why a drain stopped. Anything but `done` means entries are still waiting. `update_required`:
 * the server no longer takes this app's protocol version (426); the queue is kept as it is and
 * uploads once the app is updated.
 */
export type DrainOutcome =
  | 'done'
  | 'offline'
  | 'timeout'
  | 'unauthenticated'
  | 'server'
  | 'update_required'

export interface DrainReport {
  outcome: DrainOutcome
  /** Entries the server accepted (applied or duplicate) during this drain. */
  uploaded: number
  /** Entries that became Failed during this drain. */
  failed: number
}

export interface DrainProgress {
  done: number
  total: number
}

export interface DrainOptions {
  /** Called before each batch and after it is recorded, for "Uploading 3 of 12". */
  onProgress?: (p: DrainProgress) => void
  batchSize?: number
  timeoutMs?: number
}

const MAX_BATCH_BYTES = 1_000_000

/**
 * Uploads the queue, oldest first, in batches, exactly once. The page and the service worker
 * both call this; the Web Lock makes them take turns. Each batch is marked in flight, pushed,
 * and its answer recorded in one transaction. If the answer never arrives (offline, timeout,
 * tab killed) the entries go back to Queued and are pushed again later with the same ids; the
 * server answers "duplicate" for those it already applied, so nothing is applied twice.
 */
export function drain(db: LocalDb, opts: DrainOptions = {}): Promise<DrainReport> {
  return withSyncLock(db.userId, () => drainLocked(db, opts))
}

async function drainLocked(db: LocalDb, opts: DrainOptions): Promise<DrainReport> {
  const report: DrainReport = { outcome: 'done', uploaded: 0, failed: 0 }
  // The common case after a reconnect or a refresh: nothing to send, nothing to set up.
  if ((await db.outbox.count()) === 0) return report
  await resetInterrupted(db)
  let device = await deviceIdentity(db)
  let renewed = false
  const total = await db.outbox.where('status').equals('queued').count()
  if (total === 0) return report
  const progress = () => opts.onProgress?.({ done: report.uploaded + report.failed, total })
  const bisection = new Bisection(db)
  for (;;) {
    const batch = await takeBatch(db, opts.batchSize ?? MAX_PUSH_BATCH, MAX_BATCH_BYTES)
    if (batch.length === 0) {
      const again = await bisection.secondChances()
      if (again === 0) return report
      report.failed -= again
      continue
    }
    progress()
    const first = batch[0] as OutboxEntry
    const sent =
      first.file && !first.file.uploaded
        ? await sendFile(db, first)
        : await sendBatch(
            db,
            batch,
            device,
            bisection.timeoutFor(batch, opts.timeoutMs ?? 20_000),
            !renewed,
          )
    if (sent.kind === 'not_ours') {
      // Once per drain: this device id is registered to another installation. Take a new one
      // and send the same batch again (same mutation ids: nothing can apply twice).
      renewed = true
      device = await renewDeviceIdentity(db)
      await setStatus(db, batch, 'queued')
      continue
    }
    if (sent.kind === 'refused') {
      // One action's problem refused the whole batch: narrow it down to that action.
      report.failed += await bisection.refused(batch, sent.error)
      progress()
      continue
    }
    if (sent.kind === 'sent') {
      bisection.succeeded()
      report.uploaded += sent.uploaded
      report.failed += sent.failed
      progress()
      continue
    }
    if (Bisection.blames(sent)) {
      const { next, failed } = await bisection.failed(batch, sent)
      report.failed += failed
      progress()
      if (next === 'next') continue
    } else {
      await setStatus(db, batch, 'queued')
    }
    report.outcome = sent.kind
    return report
  }
}

/** What one upload came to: answered (and recorded), or why not. */
type Sent =
  | { kind: 'sent'; uploaded: number; failed: number }
  /** The server refused this device id as another installation's (device_not_yours). */
  | { kind: 'not_ours' }
  /** Refused for what one of its actions carries (Bisection.isolates): not recorded yet. */
  | { kind: 'refused'; error: ApiError }
  | { kind: 'offline' | 'timeout' | 'unauthenticated' | 'update_required' }
  | { kind: 'server'; status: number }

/** Pushes one batch and records the answer (applied, Failed, Conflict) in one transaction. */
async function sendBatch(
  db: LocalDb,
  batch: OutboxEntry[],
  device: DeviceIdentity,
  timeoutMs: number,
  mayRenew: boolean,
): Promise<Sent> {
  const body: PushRequest = {
    deviceId: device.id,
    deviceSecret: device.secret,
    mutations: batch.map(toMutation),
  }
  const res = await requestJson<PushResponse>('/api/sync/push', { method: 'POST', body, timeoutMs })
  if (res.kind === 'ok') {
    const { done, failed } = await recordResults(db, batch, res.body.results)
    return { kind: 'sent', uploaded: done, failed }
  }
  if (res.kind === 'refused' && res.error.error === 'device_not_yours' && mayRenew) {
    return { kind: 'not_ours' }
  }
  if (res.kind === 'refused' && res.error.error === UPDATE_REQUIRED) {
    // Not the actions' fault, and nothing was applied: they wait, Queued, for the new version.
    return { kind: 'update_required' }
  }
  if (res.kind === 'refused' && Bisection.isolates(res))
    return { kind: 'refused', error: res.error }
  if (res.kind === 'refused') {
    // The whole push was refused (e.g. 413/403, a malformed device id): a defect or a permission
    // problem that resending will not fix. Keep every entry, visibly Failed with the reason.
    await failAll(db, batch, res.error.message, res.error.error)
    return { kind: 'sent', uploaded: 0, failed: batch.length }
  }
  return res
}

/** Uploads the bytes of the photo or PDF an entry carries, before the entry itself is pushed. */
async function sendFile(db: LocalDb, entry: OutboxEntry): Promise<Sent> {
  const res = await uploadFile(db, entry)
  if (res.kind === 'ok') {
    const file = entry.file as NonNullable<OutboxEntry['file']>
    await settle(db, [entry], () =>
      db.outbox.update(entry.seq as number, {
        file: { ...file, uploaded: true },
        status: 'queued',
        sent: true,
      }),
    )
    return { kind: 'sent', uploaded: 0, failed: 0 }
  }
  if (res.kind === 'refused') {
    await failAll(db, [entry], res.message, res.code)
    return { kind: 'sent', uploaded: 0, failed: 1 }
  }
  return res
}
