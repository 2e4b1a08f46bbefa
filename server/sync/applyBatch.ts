import type { FastifyBaseLogger } from 'fastify'
import { sql, type Transaction } from 'kysely'
import type { User } from '../../protocol/auth'
import type { Mutation } from '../../protocol/mutations'
import { parseMutationArgs } from '../../protocol/mutations'
import type {
  MutationEnvelope,
  MutationResult,
  PushResponse,
  ReceivedAction,
  ReceivedPush,
} from '../../protocol/sync'
import { type BulkTable, insertStatements, runStatements, type Statement } from '../db/bulk'
import { rowsByIds } from '../db/byIds'
import type { Dialect } from '../db/connect'
import type { Database, ProcessedMutationsTable } from '../db/schema'
import { applyFns } from '../mutations/index'
import {
  type ApplyContext,
  type ApplyFn,
  type ApplyOutcome,
  emptyBatchState,
  reject,
} from '../mutations/types'
import { argsHash } from './argsHash'
import { lockDevice } from './device'
import { flushNotes, notesToFlush, prefetch } from './prefetch'
import { CLOCK_AHEAD_ALLOWANCE_DAYS, PROCESSED_RETENTION_DAYS } from './purge'
import { nextRev } from './revs'
import { isStoreFailure } from './storeFailure'

export interface BatchRun {
  dialect: Dialect
  user: User
  request: ReceivedPush
  now: Date
  /**
   * Apply each mutation in its own savepoint, so an unexpected error rejects that one mutation
   * (code `internal`) and the batch goes on. Costs two statements per mutation, so push.ts runs
   * the batch without it first and only falls back to it when that run failed.
   */
  isolate: boolean
  log: FastifyBaseLogger
  /** Per action id, the hash of its args before a protocol upgrade changed them (upgrade.ts). */
  earlierHashes?: ReadonlyMap<string, string>
}

type Seen = { status: ProcessedMutationsTable['status']; hash: string | null }

/**
 * One device's batch, in order, inside the caller's transaction (see push.ts for the rules and
 * why it is all one transaction). Per mutation:
 * - id already applied for this user with the same name and args → 'duplicate', nothing changes;
 *   with other args → 'rejected' id_reused (not recorded: the applied record stays the truth);
 * - seq ≤ the device's last seq and the id never seen → 'rejected' stale_seq (not recorded);
 * - made before the processed-id retention horizon and not remembered as applied → 'rejected'
 *   too_old: the server no longer remembers that far back, so it cannot know the action was not
 *   applied (a record of a rejection says nothing about before the purge);
 * - dated more than CLOCK_AHEAD_ALLOWANCE_DAYS ahead of the server's clock → 'rejected'
 *   clock_ahead, which keeps too_old true to its word (purge.ts);
 * - envelope (name, at, v: protocol/sync.ts) or args invalid → 'rejected' invalid; otherwise the apply function's outcome (applied, its own
 *   rejections, or a conflict). Rejections and conflicts are recorded and change nothing, so the
 *   same id may come again (Retry, "Keep mine") and be evaluated afresh.
 */
export async function applyBatch(trx: Transaction<Database>, run: BatchRun): Promise<PushResponse> {
  const { user, request, now } = run
  const device = await lockDevice(
    trx,
    run.dialect,
    { id: request.deviceId, secret: request.deviceSecret },
    user.id,
  )

  const seen = new Map<string, Seen>()
  // PostgreSQL: the records found are locked until this push commits (in id order, so two
  // pushes never wait for each other both ways: db/byIds.ts). An id recorded before as rejected
  // or a conflict is evaluated again and its record replaced by an upsert, which no unique key
  // stops: without the lock, the same user's devices pushing it at once each read "rejected",
  // each applied it, and one action id was applied three times (a probe, 2026-12-02). With it,
  // the second push waits and reads what the first committed. New ids need no lock: their plain
  // INSERT clashes on the key and the push is run again (push.ts). SQLite runs one write
  // transaction at a time.
  for (const row of await rowsByIds<Pick<ProcessedMutationsTable, 'id' | 'status' | 'args_hash'>>(
    trx,
    run.dialect,
    {
      table: 'processed_mutations',
      key: 'id',
      ids: request.mutations.map((m) => m.id),
      columns: ['id', 'status', 'args_hash'],
      scope: { column: 'user_id', value: user.id },
      lock: run.dialect === 'postgres',
    },
  )) {
    seen.set(row.id, { status: row.status, hash: row.args_hash })
  }
  // Ids with a record already (rejected or conflict before: evaluated again now) get theirs
  // replaced; every other record is new.
  const recorded = new Set(seen.keys())

  // Arguments are checked up front (pure, no database): the prefetch needs the ids in them. An
  // action whose envelope could not be read counts as one with invalid arguments.
  const parsed = request.mutations.map((m) =>
    m.invalid === undefined
      ? parseMutationArgs(m.name, m.args)
      : { ok: false as const, reason: m.invalid },
  )
  const horizon = new Date(now.getTime() - PROCESSED_RETENTION_DAYS * 86_400_000).toISOString()
  const ahead = new Date(now.getTime() + CLOCK_AHEAD_ALLOWANCE_DAYS * 86_400_000).toISOString()

  let lastSeq = device.last_seq
  let rev: number | null = null
  const batch = emptyBatchState()
  const results: MutationResult[] = []
  const gaps: NonNullable<PushResponse['gaps']> = []
  const records = new Map<string, ProcessedMutationsTable>()

  for (const [index, m] of request.mutations.entries()) {
    const args = parsed[index]
    const hash = args?.ok ? argsHash(m.name, args.args) : null
    const prior = seen.get(m.id)
    if (prior?.status === 'applied') {
      const earlier = run.earlierHashes?.get(m.id)
      if (hash !== null && (prior.hash === null || prior.hash === hash || prior.hash === earlier)) {
        results.push({ id: m.id, seq: m.seq, status: 'duplicate' })
      } else {
        results.push(rejection(m, 'id_reused', ID_REUSED))
      }
      continue
    }
    if (m.seq <= lastSeq && prior === undefined) {
      results.push(
        rejection(
          m,
          'stale_seq',
          `Action ${m.seq} arrived after action ${lastSeq} of this device; it was not applied to keep them in order.`,
        ),
      )
      continue
    }
    if (m.seq > lastSeq + 1) gaps.push({ after: lastSeq, next: m.seq })
    lastSeq = Math.max(lastSeq, m.seq)

    let outcome: ApplyOutcome
    if (m.invalid !== undefined) {
      outcome = reject('invalid', m.invalid)
    } else if (!args?.ok) {
      outcome = reject('invalid', args?.reason ?? 'Invalid arguments.')
    } else if (m.at > ahead) {
      // too_old trusts `at`: dated far ahead, an action would stay "recent" after its id is
      // purged and apply again when replayed. Refused whether or not its id is remembered.
      outcome = reject(
        'clock_ahead',
        `This action is dated ${m.at.slice(0, 16).replace('T', ' ')} UTC, more than ${CLOCK_AHEAD_ALLOWANCE_DAYS} days ahead of the server's clock: the device's date and time are probably wrong, so it was not applied. Set them right, then do it again.`,
      )
    } else if (m.at < horizon) {
      // Whatever record the id has: it is not 'applied' (answered above), but a rejection or a
      // conflict recorded after the applied record was purged (this refusal itself, or the same
      // id with other args) proves nothing about before the purge. Exempting recorded ids let a
      // captured batch, refused too_old once, apply on its second replay.
      outcome = reject(
        'too_old',
        `This action was made on ${m.at.slice(0, 10)}, more than ${PROCESSED_RETENTION_DAYS} days ago: the server can no longer tell whether it was uploaded before, so it was not applied. If it is still needed, do it again.`,
      )
    } else {
      if (rev === null) {
        // The revision (and with it the counter's lock) is taken before the first apply reads
        // anything, so permission checks see the state the writes will commit on top of.
        rev = await nextRev(trx)
        await prefetch(trx, run.dialect, batch, request.mutations.slice(index), parsed.slice(index))
      }
      const ctx: ApplyContext = { trx, user, rev, now, batch }
      outcome = await applyOne(ctx, m, args.args, run)
    }

    const status = outcome.ok ? 'applied' : 'conflicts' in outcome ? 'conflict' : 'rejected'
    seen.set(m.id, { status, hash })
    records.set(m.id, {
      id: m.id,
      device_id: request.deviceId,
      seq: m.seq,
      user_id: user.id,
      name: m.name,
      status,
      code: outcome.ok ? null : outcome.code,
      reason: outcome.ok ? null : outcome.reason,
      processed_at: now.toISOString(),
      args_hash: hash,
    })
    results.push(resultOf(m, outcome))
  }
  // The batch's closing writes read nothing of each other: one statement on PostgreSQL.
  // New processed records go in with a plain INSERT, not ON CONFLICT, which costs PostgreSQL a
  // speculative insertion per row (the records' INSERT took about half as long again with it,
  // measured). A record of the same (user, id) committed meanwhile by a push of the same user
  // from another device (the device lock does not cover that) fails it on the key: push.ts then
  // runs the batch again, and that run's read of processed ids answers the id 'duplicate'.
  const rows = [...records.values()]
  await runStatements(trx, run.dialect, [
    ...notesToFlush(run.dialect, batch),
    ...insertStatements(
      run.dialect,
      PROCESSED,
      rows.filter((r) => !recorded.has(r.id)),
    ),
    ...(lastSeq !== device.last_seq ? [setLastSeq(run.dialect, request.deviceId, lastSeq)] : []),
  ])
  // Ids with a record from before (rejected or conflict, evaluated again): theirs is replaced.
  // Apart, so the combined statement above never holds two writes of one table's same key.
  await runStatements(
    trx,
    run.dialect,
    insertStatements(
      run.dialect,
      PROCESSED,
      rows.filter((r) => recorded.has(r.id)),
      REPLACE_RECORD,
    ),
  )
  return gaps.length > 0 ? { results, gaps } : { results }
}

const PROCESSED = {
  table: 'processed_mutations',
  columns: [
    ['id', 'text'],
    ['device_id', 'text'],
    ['seq', 'bigint'],
    ['user_id', 'text'],
    ['name', 'text'],
    ['status', 'text'],
    ['code', 'text'],
    ['reason', 'text'],
    ['processed_at', 'text'],
    ['args_hash', 'text'],
  ],
} as const satisfies BulkTable<ProcessedMutationsTable>

const REPLACE_RECORD = `on conflict (user_id, id) do update set ${PROCESSED.columns
  .filter(([name]) => name !== 'id' && name !== 'user_id')
  .map(([name]) => `${name} = excluded.${name}`)
  .join(', ')}`

function setLastSeq(dialect: Dialect, deviceId: string, lastSeq: number): Statement {
  return dialect === 'postgres'
    ? { text: 'update devices set last_seq = $1 where id = $2', params: [lastSeq, deviceId] }
    : { text: 'update devices set last_seq = ? where id = ?', params: [lastSeq, deviceId] }
}

const ID_REUSED =
  'This action reuses the id of another action the server already applied, so it was not applied. Retry sends it again under a new id.'

const INTERNAL =
  'The server failed on this one action (a fault on the server, not on your device). Nothing of it was saved and your other actions went on. Retry it later, or Discard it.'

/**
 * Runs one apply function. Fast path: directly, with notes held back for one multi-row INSERT
 * (written before any other kind of mutation runs). Isolated: inside a savepoint with its notes
 * flushed, so an unexpected error is rolled back to just before this mutation and becomes its
 * own `internal` rejection; the database's own failures still end the whole batch (push.ts).
 */
async function applyOne(
  ctx: ApplyContext,
  m: MutationEnvelope,
  args: unknown,
  run: BatchRun,
): Promise<ApplyOutcome> {
  const apply = applyFns[m.name] as ApplyFn<Mutation['name']>
  if (!run.isolate) {
    if (m.name !== 'note.add') await flushNotes(ctx.trx, run.dialect, ctx.batch)
    return apply(ctx, args as never)
  }
  await sql`savepoint fl_mutation`.execute(ctx.trx)
  try {
    const outcome = await apply(ctx, args as never)
    await flushNotes(ctx.trx, run.dialect, ctx.batch)
    await sql`release savepoint fl_mutation`.execute(ctx.trx)
    return outcome
  } catch (err) {
    await sql`rollback to savepoint fl_mutation`.execute(ctx.trx)
    await sql`release savepoint fl_mutation`.execute(ctx.trx)
    if (isStoreFailure(err)) throw err
    // What this mutation cached about its own writes is gone with them; lookups fall back to queries.
    ctx.batch.notes.clear()
    ctx.batch.pendingNotes.length = 0
    run.log.error(
      {
        err,
        mutationId: m.id,
        mutation: m.name,
        deviceId: run.request.deviceId,
        userId: run.user.id,
      },
      'mutation failed on the server; rejected as internal, the batch goes on',
    )
    return reject('internal', INTERNAL)
  }
}

function rejection(m: ReceivedAction, code: string, reason: string): MutationResult {
  return { id: m.id, seq: m.seq, status: 'rejected', code, reason }
}

function resultOf(m: ReceivedAction, outcome: ApplyOutcome): MutationResult {
  if (outcome.ok) return { id: m.id, seq: m.seq, status: 'applied' }
  if ('conflicts' in outcome) {
    return {
      id: m.id,
      seq: m.seq,
      status: 'conflict',
      code: outcome.code,
      reason: outcome.reason,
      conflicts: outcome.conflicts,
      serverVersion: outcome.serverVersion,
    }
  }
  return rejection(m, outcome.code, outcome.reason)
}
