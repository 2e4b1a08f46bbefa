import { loadWritableJob } from './jobAccess'
import { setJobLabels } from './jobLabels'
import type { ApplyFn } from './types'
import { reject } from './types'

/** job.addLabel: additive and idempotent (already there → nothing to do); never a conflict. */
export const applyJobAddLabel: ApplyFn<'job.addLabel'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  const label = await ctx.trx
    .selectFrom('labels')
    .select('id')
    .where('id', '=', args.labelId)
    .executeTakeFirst()
  if (!label) return reject('not_found', 'This label does not exist on the server.')
  await setJobLabels(ctx, args.jobId, (ids) =>
    ids.includes(args.labelId) ? ids : [...ids, args.labelId],
  )
  return { ok: true }
}
