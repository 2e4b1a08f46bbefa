import type { LineItem } from '../../protocol/entities'
import { mergeEdit } from '../../protocol/merge'
import { invoiceEditRuling } from '../rules/invoices'
import { loadWritableInvoice } from './documents'
import { editOutcome } from './edits'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * invoice.update: line items (line by line) and tax rate, merged (see edits.ts). The merged result
 * must pass the invoice rule the office's edits share (server/rules/invoices.ts: a void invoice is
 * not edited, the total may not fall below what was paid, the status follows the balance); if it
 * does not, nothing is written.
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
  const next = { ...current, ...merge.values } as typeof current
  const ruling = await invoiceEditRuling(ctx.trx, invoice, next)
  if (!ruling.ok) return reject('invalid', ruling.reason)
  const status = ruling.status

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
