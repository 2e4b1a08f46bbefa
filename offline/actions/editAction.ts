import type { Table } from 'dexie'
import type { FieldConflict } from '../../protocol/sync'
import type { LocalDb } from '../localDb'
import { entityKey } from '../outboxEntry'
import type { ActionInfo } from './localAction'

/** The shape every field edit shares (job details, estimate, invoice). */
export interface EditArgs {
  baseVersion: number
  changes: Record<string, unknown>
  base: Record<string, unknown>
}

/**
 * The common behaviour of an edit of some fields of one entity: apply writes the new values,
 * revert writes the base values back, newer edits of the same entity fold into a still-queued
 * one (keeping the oldest base), and a Conflict is resolved either way field by field.
 */
export function editBehaviour<A extends EditArgs>(opts: {
  table: (db: LocalDb) => Table
  tableName: string
  id: (args: A) => string
  describe: (db: LocalDb, args: A) => Promise<{ label: string; jobId?: string }>
}) {
  return {
    async describe(db: LocalDb, args: A): Promise<ActionInfo> {
      const { label, jobId } = await opts.describe(db, args)
      return {
        label,
        jobId,
        entityKeys: [
          entityKey(opts.tableName, opts.id(args)),
          ...(jobId ? [entityKey('jobs', jobId)] : []),
        ],
      }
    },
    async apply(db: LocalDb, args: A) {
      await opts.table(db).update(opts.id(args), args.changes)
    },
    async revert(db: LocalDb, args: A) {
      await opts.table(db).update(opts.id(args), args.base)
    },
    coalesce(queued: A, next: A): A | null {
      if (opts.id(queued) !== opts.id(next)) return null
      return {
        ...next,
        baseVersion: queued.baseVersion,
        changes: { ...queued.changes, ...next.changes },
        base: { ...next.base, ...queued.base },
      }
    },
    rebase(args: A, conflicts: FieldConflict[], serverVersion: number): A {
      const base = { ...args.base }
      for (const c of conflicts) base[c.field] = c.server
      return { ...args, base, baseVersion: serverVersion }
    },
    async takeServer(db: LocalDb, args: A, conflicts: FieldConflict[], serverVersion: number) {
      const values: Record<string, unknown> = { version: serverVersion }
      for (const c of conflicts) values[c.field] = c.server
      await opts.table(db).update(opts.id(args), values)
    },
  }
}
