import type { LineItem } from '../../protocol/entities'
import { loadWritableEstimate } from './documents'
import { changedFields, conflictOutcome, findConflicts } from './edits'
import type { ApplyFn } from './types'

/** estimate.update: line items (compared as JSON), status, tax rate; field by field. */
export const applyEstimateUpdate: ApplyFn<'estimate.update'> = async (ctx, args) => {
  const access = await loadWritableEstimate(ctx, args.estimateId)
  if ('rejection' in access) return access.rejection
  const { estimate } = access

  const current = {
    lineItems: JSON.parse(estimate.line_items) as LineItem[],
    status: estimate.status,
    taxRateBps: estimate.tax_rate_bps,
  }
  const conflicts = findConflicts(current, args.changes, args.base)
  if (conflicts.length > 0) {
    return conflictOutcome(`estimate ${estimate.number}`, conflicts, estimate.version)
  }
  const fields = changedFields(current, args.changes)
  if (fields.length === 0) return { ok: true }

  await ctx.trx
    .updateTable('estimates')
    .set({
      ...(fields.includes('lineItems') && { line_items: JSON.stringify(args.changes.lineItems) }),
      ...(fields.includes('status') && { status: args.changes.status }),
      ...(fields.includes('taxRateBps') && { tax_rate_bps: args.changes.taxRateBps }),
      version: estimate.version + 1,
      rev: ctx.rev,
    })
    .where('id', '=', estimate.id)
    .execute()
  return { ok: true }
}
