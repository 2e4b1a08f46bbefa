import { entityKey } from '../outboxEntry'
import { jobLabel } from './labels'
import type { LocalAction } from './localAction'

export const noteAdd: LocalAction<'note.add'> = {
  tables: (db) => [db.notes, db.jobs],
  async describe(db, args) {
    return {
      label: `Note on ${await jobLabel(db, args.jobId)}`,
      jobId: args.jobId,
      entityKeys: [entityKey('notes', args.id), entityKey('jobs', args.jobId)],
    }
  },
  async apply(db, args, user) {
    await db.notes.put({
      id: args.id,
      jobId: args.jobId,
      body: args.body,
      createdAt: args.createdAt,
      authorId: user.id,
      authorName: user.name,
    })
  },
  async revert(db, args) {
    await db.notes.delete(args.id)
  },
}
