import type { Transaction } from 'kysely'
import type { User } from '../../protocol/auth'
import type { MutationArgs, MutationName } from '../../protocol/mutations'
import type { FieldConflict } from '../../protocol/sync'
import type { Database } from '../db/schema'

/** What an apply function gets besides its args. */
export interface ApplyContext {
  trx: Transaction<Database>
  user: User
  /** The push transaction's revision (taken before any apply runs); stamp written rows with it. */
  rev: number
  now: Date
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
