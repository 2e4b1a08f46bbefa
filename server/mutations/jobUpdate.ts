import type { Updateable } from 'kysely'
import type { JobsTable } from '../db/schema'
import { changedFields, conflictOutcome, findConflicts } from './edits'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'

/** job.update: title, description, status; field by field (see edits.ts). */
export const applyJobUpdate: ApplyFn<'job.update'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  const job = await ctx.trx
    .selectFrom('jobs')
    .select(['title', 'description', 'status', 'version'])
    .where('id', '=', args.jobId)
    .executeTakeFirstOrThrow()

  const current = { title: job.title, description: job.description, status: job.status }
  const conflicts = findConflicts(current, args.changes, args.base)
  if (conflicts.length > 0) {
    return conflictOutcome(`Job #${access.job.number}`, conflicts, job.version)
  }
  const fields = changedFields(current, args.changes)
  if (fields.length === 0) return { ok: true }

  const update: Updateable<JobsTable> = {
    ...(fields.includes('title') && { title: args.changes.title }),
    ...(fields.includes('description') && { description: args.changes.description }),
    ...(fields.includes('status') && { status: args.changes.status }),
    version: job.version + 1,
    rev: ctx.rev,
    updated_at: ctx.now.toISOString(),
  }
  await ctx.trx.updateTable('jobs').set(update).where('id', '=', args.jobId).execute()
  return { ok: true }
}
