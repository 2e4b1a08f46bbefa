import type { Updateable } from 'kysely'
import { mergeEdit } from '../../protocol/merge'
import type { JobsTable } from '../db/schema'
import { editOutcome } from './edits'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'

/** job.update: title, description, status; merged field by field (see edits.ts). */
export const applyJobUpdate: ApplyFn<'job.update'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  const job = await ctx.trx
    .selectFrom('jobs')
    .select(['title', 'description', 'status', 'version', 'updated_at'])
    .where('id', '=', args.jobId)
    .executeTakeFirstOrThrow()

  const current = { title: job.title, description: job.description, status: job.status }
  const merge = mergeEdit(current, args.changes, args.base)
  let version = job.version
  if (merge.changed.length > 0) {
    version++
    const update: Updateable<JobsTable> = {
      ...(merge.values as Partial<typeof current>),
      version,
      rev: ctx.rev,
      updated_at: ctx.now.toISOString(),
    }
    await ctx.trx.updateTable('jobs').set(update).where('id', '=', args.jobId).execute()
  }
  return editOutcome(`Job #${access.job.number}`, merge, version, job.updated_at)
}
