import type { Transaction } from 'kysely'
import type { User } from '../../protocol/auth'
import { type MutationArgs, type MutationName, parseMutationArgs } from '../../protocol/mutations'
import type { MutationResult, PushRequest, PushResponse } from '../../protocol/sync'
import type { Db } from '../db/connect'
import type { Database, ProcessedMutationsTable } from '../db/schema'
import { HttpError } from '../http/errors'
import { applyFns } from '../mutations/index'
import {
  type ApplyContext,
  type ApplyFn,
  type ApplyOutcome,
  type BatchState,
  emptyBatchState,
} from '../mutations/types'
import { lockDevice } from './device'
import { nextRev } from './revs'

/**
 * Applies a device's batch exactly once and in order, all in ONE transaction: either every
 * outcome (applied rows, processed_mutations records, the device's last_seq) is committed
 * together, or nothing is and the device sends the batch again. That is what makes a resend
 * after a lost answer safe: the ids it already applied come back as 'duplicate'.
 *
 * Per mutation, in array order:
 * - id already applied → 'duplicate', nothing changes;
 * - seq ≤ device.last_seq and the id was never seen → 'rejected' stale_seq: a later mutation of
 *   this device was processed first, so applying this one now would break the order. This
 *   outcome is not recorded, so a stale id stays stale on every resend;
 * - args invalid → 'rejected' invalid; the apply function's own rejections (forbidden,
 *   not_found…) likewise. Rejections are recorded but change nothing, and a later resend of the
 *   same id (the technician pressed Retry) is processed again and may then apply.
 * - an edit whose field the office changed too → 'conflict' with both values. Recorded with
 *   status 'conflict' and, like a rejection, re-evaluated when the same id comes again ("Keep
 *   mine" re-sends it with the office's value as base).
 *
 * Fast path (the same outcomes as applying one mutation at a time, in fewer statements): the
 * processed ids of the whole batch are read with one query; when the first mutation is about to
 * apply, the jobs and note ids the batch refers to are read with one query each (after the
 * revision is taken, so under its lock); a run of note.add is inserted with one multi-row
 * INSERT, written before any other kind of mutation applies; all processed_mutations records go
 * in with one statement at the end. A batch of 200 notes is ~10 statements, not ~600.
 *
 * Two instances, one device (PostgreSQL): lockDevice takes the device row FOR UPDATE first
 * thing, so a second push of the same device — the same batch resent to another instance, or
 * the next batch — waits until the first commits, and its reads (processed ids, last_seq; READ
 * COMMITTED, so each statement sees what committed before it) then include the first push's
 * results: its repeats answer 'duplicate', nothing applies twice and last_seq only grows. See
 * sync/device.ts for why a row lock rather than a sequence check that fails and retries.
 */
export async function push(
  db: Db,
  user: User,
  request: PushRequest,
  now: Date,
): Promise<PushResponse> {
  assertIncreasingSeqs(request)
  const processedAt = now.toISOString()

  return db.kysely.transaction().execute(async (trx) => {
    const device = await lockDevice(trx, db.dialect, request.deviceId, user.id)
    if (device.user_id !== user.id) {
      throw new HttpError(403, 'forbidden', 'This device id belongs to another user.')
    }

    const ids = request.mutations.map((m) => m.id)
    const seen = new Map<string, ProcessedMutationsTable['status']>()
    for (const row of await trx
      .selectFrom('processed_mutations')
      .select(['id', 'status'])
      .where('id', 'in', ids)
      .execute()) {
      seen.set(row.id, row.status)
    }

    // Arguments are checked up front (pure, no database): the prefetch needs the ids in them.
    const parsed = request.mutations.map((m) => parseMutationArgs(m.name, m.args))

    let lastSeq = device.last_seq
    let rev: number | null = null
    const batch = emptyBatchState()
    const results: MutationResult[] = []
    const gaps: NonNullable<PushResponse['gaps']> = []
    const records = new Map<string, ProcessedMutationsTable>()

    for (const [index, m] of request.mutations.entries()) {
      const prior = seen.get(m.id)
      if (prior === 'applied') {
        results.push({ id: m.id, seq: m.seq, status: 'duplicate' })
        continue
      }
      if (m.seq <= lastSeq && prior === undefined) {
        results.push({
          id: m.id,
          seq: m.seq,
          status: 'rejected',
          code: 'stale_seq',
          reason: `Action ${m.seq} arrived after action ${lastSeq} of this device; it was not applied to keep them in order.`,
        })
        continue
      }
      if (m.seq > lastSeq + 1) gaps.push({ after: lastSeq, next: m.seq })
      lastSeq = Math.max(lastSeq, m.seq)

      let outcome: ApplyOutcome
      const args = parsed[index]
      if (!args?.ok) {
        outcome = { ok: false, code: 'invalid', reason: args?.reason ?? 'Invalid arguments.' }
      } else {
        if (rev === null) {
          // The revision (and with it the counter's lock) is taken before the first apply reads
          // anything, so permission checks see the state the writes will commit on top of.
          rev = await nextRev(trx)
          await prefetch(trx, batch, request.mutations.slice(index), parsed.slice(index))
        }
        // Held-back notes are written before any other kind of mutation reads or writes.
        if (m.name !== 'note.add') await flushNotes(trx, batch)
        const ctx: ApplyContext = { trx, user, rev, now, batch }
        const apply = applyFns[m.name] as ApplyFn<typeof m.name>
        outcome = await apply(ctx, args.args)
      }

      const status = outcome.ok ? 'applied' : 'conflicts' in outcome ? 'conflict' : 'rejected'
      seen.set(m.id, status)
      records.set(m.id, {
        id: m.id,
        device_id: request.deviceId,
        seq: m.seq,
        user_id: user.id,
        name: m.name,
        status,
        code: outcome.ok ? null : outcome.code,
        reason: outcome.ok ? null : outcome.reason,
        processed_at: processedAt,
      })
      if (outcome.ok) {
        results.push({ id: m.id, seq: m.seq, status: 'applied' })
      } else if ('conflicts' in outcome) {
        results.push({
          id: m.id,
          seq: m.seq,
          status: 'conflict',
          code: outcome.code,
          reason: outcome.reason,
          conflicts: outcome.conflicts,
          serverVersion: outcome.serverVersion,
        })
      } else {
        results.push({
          id: m.id,
          seq: m.seq,
          status: 'rejected',
          code: outcome.code,
          reason: outcome.reason,
        })
      }
    }
    await flushNotes(trx, batch)

    const rows = [...records.values()]
    for (let i = 0; i < rows.length; i += CHUNK) {
      await trx
        .insertInto('processed_mutations')
        .values(rows.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.column('id').doUpdateSet((eb) => ({
            seq: eb.ref('excluded.seq'),
            status: eb.ref('excluded.status'),
            code: eb.ref('excluded.code'),
            reason: eb.ref('excluded.reason'),
            processed_at: eb.ref('excluded.processed_at'),
          })),
        )
        .execute()
    }
    if (lastSeq !== device.last_seq) {
      await trx
        .updateTable('devices')
        .set({ last_seq: lastSeq })
        .where('id', '=', request.deviceId)
        .execute()
    }
    return gaps.length > 0 ? { results, gaps } : { results }
  })
}

/** Rows per multi-row INSERT: far below SQLite's (32,766) and PostgreSQL's (65,535) bind limits. */
const CHUNK = 500

/**
 * Loads, with one query each, the jobs and the note ids the mutations still to apply refer to,
 * into the batch's maps. Only an optimisation: an id missing here is looked up when needed.
 */
async function prefetch(
  trx: Transaction<Database>,
  batch: BatchState,
  mutations: PushRequest['mutations'],
  parsed: ReturnType<typeof parseMutationArgs>[],
): Promise<void> {
  const jobIds = new Set<string>()
  const noteIds = new Set<string>()
  for (const [i, m] of mutations.entries()) {
    const p = parsed[i]
    if (!p?.ok) continue
    const args = p.args as MutationArgs<MutationName>
    if ('jobId' in args && typeof args.jobId === 'string') jobIds.add(args.jobId)
    if (m.name === 'note.add') noteIds.add((args as MutationArgs<'note.add'>).id)
  }
  if (jobIds.size > 0) {
    const ids = [...jobIds]
    for (const id of ids) batch.jobs.set(id, null)
    for (const job of await trx
      .selectFrom('jobs')
      .select(['id', 'number', 'technician_id', 'customer_id'])
      .where('id', 'in', ids)
      .execute()) {
      batch.jobs.set(job.id, job)
    }
  }
  if (noteIds.size > 0) {
    const ids = [...noteIds]
    for (const id of ids) batch.notes.set(id, null)
    for (const note of await trx
      .selectFrom('notes')
      .select(['id', 'job_id'])
      .where('id', 'in', ids)
      .execute()) {
      batch.notes.set(note.id, note.job_id)
    }
  }
}

/** Inserts the notes held back by note.add, in multi-row statements. */
async function flushNotes(trx: Transaction<Database>, batch: BatchState): Promise<void> {
  const rows = batch.pendingNotes.splice(0)
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('notes')
      .values(rows.slice(i, i + CHUNK))
      .execute()
  }
}

/** The device sends its queue in order; a batch out of order is a client bug, refused whole. */
function assertIncreasingSeqs(request: PushRequest): void {
  for (let i = 1; i < request.mutations.length; i++) {
    const prev = request.mutations[i - 1]
    const cur = request.mutations[i]
    if (prev && cur && cur.seq <= prev.seq) {
      throw new HttpError(
        400,
        'invalid_request',
        `mutations.${i}.seq must be greater than the previous mutation's seq (${prev.seq}).`,
      )
    }
  }
}
