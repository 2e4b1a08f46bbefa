import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * invoice.create: a draft invoice on a job in scope, optionally made from an estimate, which must
 * be an estimate of the same job. The number is the device's.
 */
export const applyInvoiceCreate: ApplyFn<'invoice.create'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  const existing = await ctx.trx
    .selectFrom('invoices')
    .select('job_id')
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    if (existing.job_id === args.jobId) return { ok: true }
    return reject('conflict', 'Another invoice already uses this id.')
  }

  if (args.estimateId) {
    const estimate = await ctx.trx
      .selectFrom('estimates')
      .select(['job_id', 'number'])
      .where('id', '=', args.estimateId)
      .executeTakeFirst()
    if (!estimate) return reject('not_found', 'The estimate of this invoice no longer exists.')
    if (estimate.job_id !== args.jobId) {
      return reject(
        'invalid',
        `Estimate ${estimate.number} belongs to another job, not Job #${access.job.number}.`,
      )
    }
  }

  await ctx.trx
    .insertInto('invoices')
    .values({
      id: args.id,
      job_id: args.jobId,
      number: args.number,
      status: 'draft',
      line_items: JSON.stringify(args.lineItems),
      tax_rate_bps: args.taxRateBps,
      estimate_id: args.estimateId,
      created_at: new Date(args.createdAt).toISOString(),
      version: 1,
      rev: ctx.rev,
    })
    .execute()
  return { ok: true }
}
