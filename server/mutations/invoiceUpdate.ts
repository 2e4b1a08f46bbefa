import type { LineItem } from '../../protocol/entities'
import { mergeEdit } from '../../protocol/merge'
import { formatCents } from '../../protocol/money'
import { balanceOf, loadWritableInvoice } from './documents'
import { editOutcome } from './edits'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * invoice.update: line items (line by line) and tax rate, merged (see edits.ts). A void invoice is
 * not edited, and the merged total may not fall below what was already paid (then nothing is
 * written). Totals and the balance come from the merged lines; the status follows the balance:
 * 'paid' at zero, back to 'sent' if a paid invoice grows.
 */
export const applyInvoiceUpdate: ApplyFn<'invoice.update'> = async (ctx, args) => {
  const access = await loadWritableInvoice(ctx, args.invoiceId)
  if ('rejection' in access) return access.rejection
  const { invoice } = access

  const current = {
    lineItems: JSON.parse(invoice.line_items) as LineItem[],
    taxRateBps: invoice.tax_rate_bps,
  }
  const merge = mergeEdit(current, args.changes, args.base)
  const what = `invoice ${invoice.number}`
  if (merge.changed.length === 0)
    return editOutcome(what, merge, invoice.version, invoice.updated_at)
  if (invoice.status === 'void') {
    return reject('invalid', `Invoice ${invoice.number} is void; it can no longer be edited.`)
  }

  const next = { ...current, ...merge.values } as typeof current
  const balance = await balanceOf(ctx, invoice, next.lineItems, next.taxRateBps)
  if (balance < 0) {
    return reject(
      'invalid',
      `Invoice ${invoice.number} would total ${formatCents(-balance)} less than what was already paid.`,
    )
  }
  const status =
    balance === 0 ? 'paid' : invoice.status === 'paid' ? ('sent' as const) : invoice.status

  const version = invoice.version + 1
  await ctx.trx
    .updateTable('invoices')
    .set({
      line_items: JSON.stringify(next.lineItems),
      tax_rate_bps: next.taxRateBps,
      status,
      version,
      rev: ctx.rev,
      updated_at: ctx.now.toISOString(),
    })
    .where('id', '=', invoice.id)
    .execute()
  return editOutcome(what, merge, version, invoice.updated_at)
}
