import type { LineItem } from '../../protocol/entities'
import { formatCents } from '../../protocol/money'
import { balanceOf, loadWritableInvoice } from './documents'
import { changedFields, conflictOutcome, findConflicts } from './edits'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * invoice.update: line items and tax rate, field by field. A void invoice is not edited, and
 * the new total may not fall below what was already paid. The status follows the balance: 'paid'
 * at zero, back to 'sent' if a paid invoice grows.
 */
export const applyInvoiceUpdate: ApplyFn<'invoice.update'> = async (ctx, args) => {
  const access = await loadWritableInvoice(ctx, args.invoiceId)
  if ('rejection' in access) return access.rejection
  const { invoice } = access

  const current = {
    lineItems: JSON.parse(invoice.line_items) as LineItem[],
    taxRateBps: invoice.tax_rate_bps,
  }
  const conflicts = findConflicts(current, args.changes, args.base)
  if (conflicts.length > 0) {
    return conflictOutcome(`invoice ${invoice.number}`, conflicts, invoice.version)
  }
  const fields = changedFields(current, args.changes)
  if (fields.length === 0) return { ok: true }
  if (invoice.status === 'void') {
    return reject('invalid', `Invoice ${invoice.number} is void; it can no longer be edited.`)
  }

  const lineItems = args.changes.lineItems ?? current.lineItems
  const taxRateBps = args.changes.taxRateBps ?? current.taxRateBps
  const balance = await balanceOf(ctx, invoice, lineItems, taxRateBps)
  if (balance < 0) {
    return reject(
      'invalid',
      `Invoice ${invoice.number} would total ${formatCents(-balance)} less than what was already paid.`,
    )
  }
  const status =
    balance === 0 ? 'paid' : invoice.status === 'paid' ? ('sent' as const) : invoice.status

  await ctx.trx
    .updateTable('invoices')
    .set({
      ...(fields.includes('lineItems') && { line_items: JSON.stringify(lineItems) }),
      ...(fields.includes('taxRateBps') && { tax_rate_bps: taxRateBps }),
      status,
      version: invoice.version + 1,
      rev: ctx.rev,
    })
    .where('id', '=', invoice.id)
    .execute()
  return { ok: true }
}
