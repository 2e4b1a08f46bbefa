import type { Table } from 'dexie'
import type { User } from '../../protocol/auth'
import type { Choice } from '../../protocol/merge'
import type { MutationArgs, MutationName } from '../../protocol/mutations'
import type { FieldConflict } from '../../protocol/sync'
import type { LocalDb } from '../localDb'

/** What an action says about itself for the Offline Actions list and the pending highlight. */
export interface ActionInfo {
  label: string
  jobId?: string
  entityKeys: string[]
  /** See OutboxEntry.dependsOn; none when left out. */
  dependsOn?: string[]
}

/**
 * The device side of one named action: how to show it, how to apply it to the local data at
 * once, and how to take it back. `apply` runs inside the transaction that also queues the
 * outbox entry, and again after each pull (to lay pending changes over fresh server data), so
 * it must be idempotent: putting the same row twice is fine, incrementing a counter is not.
 */
export interface LocalAction<N extends MutationName> {
  /** The local tables `describe`, `apply` and `revert` read or write. */
  tables: (db: LocalDb) => Table[]
  describe(db: LocalDb, args: MutationArgs<N>): Promise<ActionInfo>
  apply(db: LocalDb, args: MutationArgs<N>, user: User): Promise<void>
  /** Discard: undo what `apply` did (remove what it created, restore an edit's base values). */
  revert(db: LocalDb, args: MutationArgs<N>): Promise<void>
  /** Edits only: fold a newer edit of the same thing into a still-queued one, or null. */
  coalesce?(queued: MutationArgs<N>, next: MutationArgs<N>): MutationArgs<N> | null
  /**
   * Edits only: the technician's choice for each clash, written into the edit (protocol/merge.ts
   * resolveEdit), so that sending it again under the same id applies exactly that.
   */
  resolve?(args: MutationArgs<N>, clashes: FieldConflict[], choose: Chooser): MutationArgs<N>
  /** Edits only: shows the chosen values on the device at once (the upload and a pull confirm). */
  showChoice?(
    db: LocalDb,
    args: MutationArgs<N>,
    clashes: FieldConflict[],
    choose: Chooser,
  ): Promise<void>
}

export type Chooser = (clash: FieldConflict) => Choice
