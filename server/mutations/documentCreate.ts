import type { MutationArgs } from '../../protocol/mutations'
import type { Database } from '../db/schema'
import { loadWritableJob } from './jobAccess'
import type { ApplyContext, ApplyFn, ApplyOutcome } from './types'
import { reject } from './types'

type DocTable = Extract<keyof Database, 'estimates' | 'invoices'>

/** estimate.create: a draft estimate on a job in scope. */
export const applyEstimateCreate: ApplyFn<'estimate.create'> = (ctx, args) =>
  createDocument(ctx, 'estimates', args, async () => ({}))

/**
 * invoice.create: a draft invoice on a job in scope, optionally made from an estimate, which must
 * be an estimate of the same job.
 */
export const applyInvoiceCreate: ApplyFn<'invoice.create'> = (ctx, args) =>
  createDocument(ctx, 'invoices', args, async (jobNumber) => {
    if (!args.estimateId) return { estimate_id: null }
    // Looked for on this job only: an estimate of a job the technician cannot see answers as if
    // it did not exist (naming it, or saying it is elsewhere, told them what another job holds).
    const estimate = await ctx.trx
      .selectFrom('estimates')
      .select('id')
      .where('id', '=', args.estimateId)
      .where('job_id', '=', args.jobId)
      .executeTakeFirst()
    if (!estimate) {
      return reject('not_found', `The estimate of this invoice is not on Job #${jobNumber}.`)
    }
    return { estimate_id: args.estimateId }
  })

/**
 * The shared part of both: the job must be writable, the same id again is a no-op (on another job
 * it is refused), and the number is the device's unless another document of the job already has
 * it (two devices numbered offline from the same local count): then the server gives it the next
 * free one, and the device shows it after its next pull. `extra` checks and adds what only one
 * kind has; a rejection from it stops the create.
 */
async function createDocument(
  ctx: ApplyContext,
  table: DocTable,
  args: MutationArgs<'estimate.create'>,
  extra: (jobNumber: number) => Promise<ApplyOutcome | { estimate_id?: string | null }>,
): Promise<ApplyOutcome> {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  const what = table === 'estimates' ? 'estimate' : 'invoice'

  const existing = await ctx.trx
    .selectFrom(table)
    .select('job_id')
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    if (existing.job_id === args.jobId) return { ok: true }
    return reject('conflict', `Another ${what} already uses this id.`)
  }
  const more = await extra(access.job.number)
  if ('ok' in more) return more

  await ctx.trx
    .insertInto(table)
    .values({
      id: args.id,
      job_id: args.jobId,
      number: await freeNumber(ctx, table, args.jobId, args.number),
      status: 'draft',
      line_items: JSON.stringify(args.lineItems),
      tax_rate_bps: args.taxRateBps,
      created_at: args.createdAt,
      version: 1,
      rev: ctx.rev,
      updated_at: ctx.now.toISOString(),
      ...more,
    })
    .execute()
  return { ok: true }
}

/**
 * `wanted` if no document of this kind on the job has it, else the next free number: a trailing
 * "-N" counts up (E-1254-2 taken → E-1254-3), anything else gets "-2", "-3"… Writers are
 * serialized by the revision counter's lock (sync/revs.ts), so nothing takes the number between
 * this read and the insert; the unique index (job_id, number) is the backstop.
 */
async function freeNumber(
  ctx: ApplyContext,
  table: DocTable,
  jobId: string,
  wanted: string,
): Promise<string> {
  const rows = await ctx.trx
    .selectFrom(table)
    .select('number')
    .where('job_id', '=', jobId)
    .execute()
  const taken = new Set(rows.map((r) => r.number))
  if (!taken.has(wanted)) return wanted
  const m = /^(.*-)(\d+)$/.exec(wanted)
  const stem = m ? (m[1] as string) : `${wanted}-`
  let n = m ? Number(m[2]) + 1 : 2
  while (taken.has(`${stem}${n}`)) n++
  return `${stem}${n}`
}
