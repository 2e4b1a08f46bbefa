import type { LineItem } from '../../protocol/entities'
import { mergeEdit } from '../../protocol/merge'
import { loadWritableEstimate } from './documents'
import { editOutcome } from './edits'
import type { ApplyFn } from './types'

/** estimate.update: line items (line by line), status, tax rate; merged (see edits.ts). */
export const applyEstimateUpdate: ApplyFn<'estimate.update'> = async (ctx, args) => {
  const access = await loadWritableEstimate(ctx, args.estimateId)
  if ('rejection' in access) return access.rejection
  const { estimate } = access

  const current = {
    lineItems: JSON.parse(estimate.line_items) as LineItem[],
    status: estimate.status,
    taxRateBps: estimate.tax_rate_bps,
  }
  const merge = mergeEdit(current, args.changes, args.base)
  const next = { ...current, ...merge.values } as typeof current
  let version = estimate.version
  if (merge.changed.length > 0) {
    version++
    await ctx.trx
      .updateTable('estimates')
      .set({
        line_items: JSON.stringify(next.lineItems),
        status: next.status,
        tax_rate_bps: next.taxRateBps,
        version,
        rev: ctx.rev,
        updated_at: ctx.now.toISOString(),
      })
      .where('id', '=', estimate.id)
      .execute()
  }
  return editOutcome(`estimate ${estimate.number}`, merge, version, estimate.updated_at)
}
