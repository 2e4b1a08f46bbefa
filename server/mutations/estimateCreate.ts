import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/** estimate.create: a draft estimate on a job in scope; the number is the device's. */
export const applyEstimateCreate: ApplyFn<'estimate.create'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  const existing = await ctx.trx
    .selectFrom('estimates')
    .select('job_id')
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    if (existing.job_id === args.jobId) return { ok: true }
    return reject('conflict', 'Another estimate already uses this id.')
  }

  await ctx.trx
    .insertInto('estimates')
    .values({
      id: args.id,
      job_id: args.jobId,
      number: args.number,
      status: 'draft',
      line_items: JSON.stringify(args.lineItems),
      tax_rate_bps: args.taxRateBps,
      created_at: new Date(args.createdAt).toISOString(),
      version: 1,
      rev: ctx.rev,
    })
    .execute()
  return { ok: true }
}
