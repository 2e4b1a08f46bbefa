import { entityKey } from '../outboxEntry'
import { jobLabel } from './labels'
import type { LocalAction } from './localAction'

/** A photo or PDF; its bytes are written to `files` by `perform` in the same transaction. */
export const attachmentAdd: LocalAction<'attachment.add'> = {
  tables: (db) => [db.attachments, db.files, db.jobs],
  async describe(db, args) {
    const what = args.kind === 'photo' ? 'Photo' : `PDF ${args.filename}`
    return {
      label: `${what} on ${await jobLabel(db, args.jobId)}`,
      jobId: args.jobId,
      entityKeys: [entityKey('attachments', args.id), entityKey('jobs', args.jobId)],
    }
  },
  async apply(db, args) {
    await db.attachments.put({ ...args, createdAt: args.takenAt })
  },
  async revert(db, args) {
    await db.attachments.delete(args.id)
    await db.files.delete(args.id)
  },
}
