import { loadWritableJob } from './jobAccess'
import type { ApplyFn, NoteSeen } from './types'
import { reject } from './types'

/**
 * note.add: a note on a job, written by the session user. The note id comes from the device.
 * processed_mutations already makes a resend a no-op; if the note exists anyway, the same note
 * again (same job, author, text and time) writes nothing, and anything else under its id is
 * refused: the server never answers "applied" for a note it does not hold. The row is not
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
      .select(['job_id', 'author_id', 'body', 'created_at'])
      .where('id', '=', args.id)
      .executeTakeFirst()
    existing = row
      ? { jobId: row.job_id, authorId: row.author_id, body: row.body, createdAt: row.created_at }
      : null
  }
  if (existing !== null) {
    if (sameNote(existing, args, ctx.user.id)) return { ok: true }
    return reject('conflict', 'Another note already uses this id.')
  }

  ctx.batch.notes.set(args.id, {
    jobId: args.jobId,
    authorId: ctx.user.id,
    body: args.body,
    createdAt: args.createdAt,
  })
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

function sameNote(
  seen: NoteSeen,
  args: { jobId: string; body: string; createdAt: string },
  userId: string,
): boolean {
  return (
    seen.jobId === args.jobId &&
    seen.authorId === userId &&
    seen.body === args.body &&
    seen.createdAt === args.createdAt
  )
}
