import type { Table } from 'dexie'
import { mergeEdit, resolveEdit, withValueAt } from '../../protocol/merge'
import type { FieldConflict } from '../../protocol/sync'
import type { LocalDb } from '../localDb'
import { entityKey } from '../outboxEntry'
import type { ActionInfo, Chooser } from './localAction'

/** The shape every field edit shares (job details, estimate, invoice). */
export interface EditArgs {
  baseVersion: number
  changes: Record<string, unknown>
  base: Record<string, unknown>
}

/**
 * The common behaviour of an edit of some fields of one entity: apply merges the new values into
 * the row (protocol/merge.ts, as the server does), revert writes the base values back, newer
 * edits of the same entity fold into a still-queued one (keeping the oldest base), and a Conflict
 * is resolved clash by clash (a field, a line, or one attribute of a line).
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
    /**
     * The edit laid over the row as it is now (the office's values after a pull): the same merge
     * the server runs, showing the technician's side of a clash until they choose.
     */
    async apply(db: LocalDb, args: A) {
      const row = (await opts.table(db).get(opts.id(args))) as Record<string, unknown> | undefined
      if (!row) return
      await opts
        .table(db)
        .update(opts.id(args), mergeEdit(row, args.changes, args.base, 'mine').values)
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
    resolve(args: A, clashes: FieldConflict[], choose: Chooser): A {
      return { ...args, ...resolveEdit(args.changes, args.base, clashes, choose) }
    },
    async showChoice(db: LocalDb, args: A, clashes: FieldConflict[], choose: Chooser) {
      const row = (await opts.table(db).get(opts.id(args))) as Record<string, unknown> | undefined
      if (!row) return
      let values: Record<string, unknown> = {}
      for (const field of new Set(clashes.map((c) => c.field))) values[field] = row[field]
      for (const c of clashes)
        values = withValueAt(values, c, choose(c) === 'server' ? c.server : c.mine)
      await opts.table(db).update(opts.id(args), values)
    },
  }
}
