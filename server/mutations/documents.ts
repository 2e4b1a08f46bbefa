import type { Selectable } from 'kysely'
import type { EstimatesTable, InvoicesTable } from '../db/schema'
import { type JobRef, loadWritableJob } from './jobAccess'
import type { ApplyContext, ApplyOutcome } from './types'
import { reject } from './types'

/** Loads an estimate and its job, checking the user may write the job. */
export async function loadWritableEstimate(
  ctx: ApplyContext,
  estimateId: string,
): Promise<{ estimate: Selectable<EstimatesTable>; job: JobRef } | { rejection: ApplyOutcome }> {
  const estimate = await ctx.trx
    .selectFrom('estimates')
    .selectAll()
    .where('id', '=', estimateId)
    .executeTakeFirst()
  if (!estimate) {
    return { rejection: reject('not_found', 'This estimate no longer exists on the server.') }
  }
  const access = await loadWritableJob(ctx, estimate.job_id)
  if ('rejection' in access) return access
  return { estimate, job: access.job }
}

/** Loads an invoice and its job, checking the user may write the job. */
export async function loadWritableInvoice(
  ctx: ApplyContext,
  invoiceId: string,
): Promise<{ invoice: Selectable<InvoicesTable>; job: JobRef } | { rejection: ApplyOutcome }> {
  const invoice = await ctx.trx
    .selectFrom('invoices')
    .selectAll()
    .where('id', '=', invoiceId)
    .executeTakeFirst()
  if (!invoice) {
    return { rejection: reject('not_found', 'This invoice no longer exists on the server.') }
  }
  const access = await loadWritableJob(ctx, invoice.job_id)
  if ('rejection' in access) return access
  return { invoice, job: access.job }
}
