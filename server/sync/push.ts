import type { User } from '../../protocol/auth'
import { parseMutationArgs } from '../../protocol/mutations'
import type { MutationResult, PushRequest, PushResponse } from '../../protocol/sync'
import type { Db } from '../db/connect'
import type { ProcessedMutationsTable } from '../db/schema'
import { HttpError } from '../http/errors'
import { applyFns } from '../mutations/index'
import type { ApplyContext, ApplyFn, ApplyOutcome } from '../mutations/types'
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

    let lastSeq = device.last_seq
    let rev: number | null = null
    const results: MutationResult[] = []
    const gaps: NonNullable<PushResponse['gaps']> = []
    const records = new Map<string, ProcessedMutationsTable>()

    for (const m of request.mutations) {
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
      const parsed = parseMutationArgs(m.name, m.args)
      if (!parsed.ok) {
        outcome = { ok: false, code: 'invalid', reason: parsed.reason }
      } else {
        // The revision (and with it the counter's lock) is taken before the first apply reads
        // anything, so permission checks see the state the writes will commit on top of.
        rev ??= await nextRev(trx)
        const ctx: ApplyContext = { trx, user, rev, now }
        const apply = applyFns[m.name] as ApplyFn<typeof m.name>
        outcome = await apply(ctx, parsed.args)
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

    if (records.size > 0) {
      await trx
        .insertInto('processed_mutations')
        .values([...records.values()])
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
