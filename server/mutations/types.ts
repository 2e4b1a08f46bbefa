import type { Insertable, Transaction } from 'kysely'
import type { User } from '../../protocol/auth'
import type { MutationArgs, MutationName } from '../../protocol/mutations'
import type { FieldConflict } from '../../protocol/sync'
import type { Database, NotesTable } from '../db/schema'
import type { JobRef } from './jobAccess'

/** What an apply function gets besides its args. */
export interface ApplyContext {
  trx: Transaction<Database>
  user: User
  /** The push transaction's revision (taken before any apply runs); stamp written rows with it. */
  rev: number
  now: Date
  /** What the push loaded for the whole batch at once, and writes it holds back (see push.ts). */
  batch: BatchState
}

/**
 * Per-batch lookups and deferred writes: push.ts's fast path. The maps are filled by one query
 * each for the whole batch and kept up to date by the apply functions, so a mutation sees
 * what earlier mutations of the same batch did. A miss (an id the prefetch did not cover) falls
 * back to a query.
 */
export interface BatchState {
  /**
   * Jobs by id (null: no such job). Only id, number, technician_id and customer_id, which no
   * mutation changes, so the entries stay true for the whole transaction.
   */
  jobs: Map<string, JobRef | null>
  /**
   * Notes by id, for the ids the batch's note.add carry (null: not on the server): what a
   * note.add under an id already used must match to be the same note again.
   */
  notes: Map<string, NoteSeen | null>
  /**
   * Notes to insert, held back so a run of note.add becomes one multi-row INSERT. push.ts
   * writes them before any other kind of mutation runs and before the batch commits.
   */
  pendingNotes: Insertable<NotesTable>[]
}

export interface NoteSeen {
  jobId: string
  authorId: string
  body: string
  createdAt: string
}

export function emptyBatchState(): BatchState {
  return { jobs: new Map(), notes: new Map(), pendingNotes: [] }
}

/**
 * applied; rejected (code, reason); or, for edits, a conflict: the office changed one of the same
 * fields since the technician's base. Rejections and conflicts change nothing.
 */
export type ApplyOutcome =
  | { ok: true }
  | { ok: false; code: string; reason: string }
  | {
      ok: false
      code: 'conflict'
      reason: string
      conflicts: FieldConflict[]
      serverVersion: number
    }

/**
 * Applies one validated mutation inside the push transaction. It must check permission and
 * existence before writing anything, so a rejection leaves no trace; throwing rolls back the
 * whole batch (for unexpected failures only).
 */
export type ApplyFn<N extends MutationName> = (
  ctx: ApplyContext,
  args: MutationArgs<N>,
) => Promise<ApplyOutcome>

export function reject(code: string, reason: string): ApplyOutcome {
  return { ok: false, code, reason }
}
