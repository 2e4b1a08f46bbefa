import { loadWritableJob } from './jobAccess'
import { setJobLabels } from './jobLabels'
import type { ApplyFn } from './types'

/**
 * job.removeLabel: idempotent (not there → nothing to do); never a conflict. An unknown label
 * is simply not on the job, so removing it succeeds.
 */
export const applyJobRemoveLabel: ApplyFn<'job.removeLabel'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  await setJobLabels(ctx, args.jobId, (ids) => ids.filter((id) => id !== args.labelId))
  return { ok: true }
}
