import type { Selectable, Transaction } from 'kysely'
import type { Invoice, InvoiceStatus, LineItem } from '../../protocol/entities'
import { jsonEqual } from '../../protocol/jsonEqual'
import { formatCents, invoiceBalanceCents } from '../../protocol/money'
import type { Database, InvoicesTable } from '../db/schema'

type StoredInvoice = Pick<
  Selectable<InvoicesTable>,
  'id' | 'number' | 'status' | 'line_items' | 'tax_rate_bps'
>

/** What is still owed, from the stored line items (or `lineItems`) and the payments so far. */
export async function balanceOf(
  trx: Transaction<Database>,
  invoice: Pick<StoredInvoice, 'id' | 'line_items' | 'tax_rate_bps'>,
  lineItems?: LineItem[],
  taxRateBps?: number,
): Promise<number> {
  const payments = await trx
    .selectFrom('payments')
    .select('amount_cents')
    .where('invoice_id', '=', invoice.id)
    .execute()
  const doc = {
    lineItems: lineItems ?? (JSON.parse(invoice.line_items) as LineItem[]),
    taxRateBps: taxRateBps ?? invoice.tax_rate_bps,
  } as Invoice
  return invoiceBalanceCents(
    doc,
    payments.map((p) => ({ amountCents: Number(p.amount_cents) })),
  )
}

export type InvoiceEditRuling = { ok: true; status: InvoiceStatus } | { ok: false; reason: string }

/**
 * The one rule for an invoice's lines, tax rate and status, whoever writes them: the technician's
 * invoice.update (server/mutations/invoiceUpdate.ts) and the office's PATCH
 * /api/dispatch/invoices/:id (server/dispatch/documents.ts). Before it was shared, the office
 * could cut a paid invoice's lines below what was paid: it stayed 'paid' with a negative balance,
 * and every later invoice.update of it was refused.
 * - A void invoice's lines and tax rate are not edited.
 * - The total may not fall below what was already paid.
 * - The status follows the balance: 'paid' at zero, and a paid invoice that grows is 'sent'
 *   again. Only the office sets a status itself (`next.status`); 'paid' then needs nothing owed.
 * Returns the status to write, or why nothing may be written.
 */
export async function invoiceEditRuling(
  trx: Transaction<Database>,
  invoice: StoredInvoice,
  next: { lineItems: LineItem[]; taxRateBps: number; status?: InvoiceStatus },
): Promise<InvoiceEditRuling> {
  const edited =
    next.taxRateBps !== invoice.tax_rate_bps ||
    !jsonEqual(next.lineItems, JSON.parse(invoice.line_items))
  const what = `Invoice ${invoice.number}`
  if (edited && invoice.status === 'void') {
    return { ok: false, reason: `${what} is void; it can no longer be edited.` }
  }
  const balance = await balanceOf(trx, invoice, next.lineItems, next.taxRateBps)
  if (edited && balance < 0) {
    return {
      ok: false,
      reason: `${what} would total ${formatCents(-balance)} less than what was already paid.`,
    }
  }
  if (next.status === 'paid' && balance !== 0) {
    const owed = balance > 0 ? `still has ${formatCents(balance)} to pay` : 'is overpaid'
    return { ok: false, reason: `${what} ${owed}; it is paid only when nothing is owed.` }
  }
  if (next.status !== undefined) return { ok: true, status: next.status }
  if (!edited) return { ok: true, status: invoice.status }
  const status = balance === 0 ? 'paid' : invoice.status === 'paid' ? 'sent' : invoice.status
  return { ok: true, status }
}
