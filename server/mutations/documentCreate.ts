import type { Selectable } from 'kysely'
import { jsonEqual } from '../../protocol/jsonEqual'
import type { MutationArgs } from '../../protocol/mutations'
import type { Database, EstimatesTable, InvoicesTable } from '../db/schema'
import { freeNumber } from './freeNumber'
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
 * The shared part of both: the job must be writable, the same document again is a no-op and
 * another one under its id is refused `conflict` (sameDocument), and the number is the device's unless another document of the job already has
 * it (two devices numbered offline from the same local count): then the server gives it the next
 * free one, and the device shows it after its next pull. `extra` checks and adds what only one
 * kind has; a rejection from it stops the create.
 */
async function createDocument(
  ctx: ApplyContext,
  table: DocTable,
  args: MutationArgs<'estimate.create'> & { estimateId?: string | null },
  extra: (jobNumber: number) => Promise<ApplyOutcome | { estimate_id?: string | null }>,
): Promise<ApplyOutcome> {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  const what = table === 'estimates' ? 'estimate' : 'invoice'

  const existing = await ctx.trx
    .selectFrom(table)
    .selectAll()
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    if (sameDocument(existing, args)) return { ok: true }
    return reject(
      'conflict',
      `Another ${what} already uses this id (with other lines, tax, date or job), so this one was not saved.`,
    )
  }
  const more = await extra(access.job.number)
  if ('ok' in more) return more

  await ctx.trx
    .insertInto(table)
    .values({
      id: args.id,
      job_id: args.jobId,
      number: await numberOnJob(ctx, table, args.jobId, args.number),
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
 * Is the stored document what this create sets? Then the create is the same action again
 * (another device, an action made twice) and nothing is written. Compared: job, lines, tax,
 * creation time and, for an invoice, its estimate. Not the number: the server may have given the
 * document another one (freeNumber), so the create that made it, sent again, names another
 * number. Once the document was edited (an estimate.update, invoice.update or its payment in
 * full: its version went past 1), its lines and tax no longer say what its create set, so only
 * what no edit changes is compared (job, creation time, estimate): the create that made it, sent
 * again, must not be refused for a later edit.
 */
function sameDocument(
  existing: Selectable<EstimatesTable> | Selectable<InvoicesTable>,
  args: MutationArgs<'estimate.create'> & { estimateId?: string | null },
): boolean {
  const fixed =
    existing.job_id === args.jobId &&
    existing.created_at === args.createdAt &&
    ('estimate_id' in existing ? existing.estimate_id === (args.estimateId ?? null) : true)
  if (!fixed || existing.version > 1) return fixed
  return (
    Number(existing.tax_rate_bps) === args.taxRateBps &&
    jsonEqual(JSON.parse(existing.line_items), args.lineItems)
  )
}

/**
 * The number the document is stored under (freeNumber.ts). Writers are serialized by the revision
 * counter's lock (sync/revs.ts), so nothing takes the number between this read and the insert;
 * the unique index (job_id, number) is the backstop.
 */
async function numberOnJob(
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
  return freeNumber(new Set(rows.map((r) => r.number)), wanted)
}
