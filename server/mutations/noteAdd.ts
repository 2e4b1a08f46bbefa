import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * note.add: a note on a job, written by the session user. The note id comes from the device.
 * processed_mutations already makes a resend a no-op; if the note exists anyway (same id, same
 * job) nothing is written, and an id already used on another job is refused.
 */
export const applyNoteAdd: ApplyFn<'note.add'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  const existing = await ctx.trx
    .selectFrom('notes')
    .select('job_id')
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    if (existing.job_id === args.jobId) return { ok: true }
    return reject('conflict', 'Another note already uses this id.')
  }

  await ctx.trx
    .insertInto('notes')
    .values({
      id: args.id,
      job_id: args.jobId,
      author_id: ctx.user.id,
      body: args.body,
      created_at: new Date(args.createdAt).toISOString(),
      rev: ctx.rev,
    })
    .execute()
  return { ok: true }
}
