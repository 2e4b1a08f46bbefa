import type { Table } from 'dexie'
import type { User } from '../../protocol/auth'
import type { MutationArgs, MutationName } from '../../protocol/mutations'
import type { LocalDb } from '../localDb'

/** What an action says about itself for the Offline Actions list and the pending highlight. */
export interface ActionInfo {
  label: string
  jobId?: string
  entityKeys: string[]
}

/**
 * The device side of one named action: how to show it and how to apply it to the local
 * data at once. `apply` runs inside the transaction that also queues the outbox entry, and
 * again after each pull (to lay pending changes over fresh server data), so it must be
 * idempotent: putting the same row twice is fine, incrementing a counter is not.
 */
export interface LocalAction<N extends MutationName> {
  /** The local tables `describe` and `apply` read or write, for the transaction's scope. */
  tables: (db: LocalDb) => Table[]
  describe(db: LocalDb, args: MutationArgs<N>): Promise<ActionInfo>
  apply(db: LocalDb, args: MutationArgs<N>, user: User): Promise<void>
}
