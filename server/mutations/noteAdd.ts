import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * note.add: a note on a job, written by the session user. The note id comes from the device.
 * processed_mutations already makes a resend a no-op; if the note exists anyway (same id, same
 * job) nothing is written, and an id already used on another job is refused. The row is not
 * inserted here but queued in ctx.batch.pendingNotes: push.ts inserts a run of notes with one
 * statement (in the same transaction, before anything else runs or commits).
 */
export const applyNoteAdd: ApplyFn<'note.add'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  // Known from the batch's prefetch or an earlier note.add of this batch; else ask.
  let existing = ctx.batch.notes.get(args.id)
  if (existing === undefined) {
    const row = await ctx.trx
      .selectFrom('notes')
      .select('job_id')
      .where('id', '=', args.id)
      .executeTakeFirst()
    existing = row?.job_id ?? null
  }
  if (existing !== null) {
    if (existing === args.jobId) return { ok: true }
    return reject('conflict', 'Another note already uses this id.')
  }

  ctx.batch.notes.set(args.id, args.jobId)
  ctx.batch.pendingNotes.push({
    id: args.id,
    job_id: args.jobId,
    author_id: ctx.user.id,
    body: args.body,
    created_at: args.createdAt,
    rev: ctx.rev,
  })
  return { ok: true }
}
