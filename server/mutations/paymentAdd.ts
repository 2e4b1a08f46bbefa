import { formatCents } from '../../protocol/money'
import { balanceOf } from '../rules/invoices'
import { loadWritableInvoice } from './documents'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * payment.add: a cash, check or other payment on an invoice of a job in scope. It may not exceed
 * the balance (computed with protocol/money.ts from the stored line items and payments), a void
 * invoice takes none, and the invoice becomes 'paid' when the balance reaches zero.
 */
export const applyPaymentAdd: ApplyFn<'payment.add'> = async (ctx, args) => {
  const access = await loadWritableInvoice(ctx, args.invoiceId)
  if ('rejection' in access) return access.rejection
  const { invoice, job } = access

  const existing = await ctx.trx
    .selectFrom('payments')
    .select(['invoice_id', 'method', 'amount_cents', 'reference', 'received_at'])
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    // The same payment again writes nothing; anything else under its id is refused.
    const same =
      existing.invoice_id === args.invoiceId &&
      existing.method === args.method &&
      Number(existing.amount_cents) === args.amountCents &&
      existing.reference === (args.reference ?? null) &&
      existing.received_at === args.receivedAt
    if (same) return { ok: true }
    return reject('conflict', 'Another payment already uses this id.')
  }

  if (invoice.status === 'void') {
    return reject(
      'invalid',
      `Invoice ${invoice.number} of Job #${job.number} is void; it takes no payments.`,
    )
  }
  const balance = await balanceOf(ctx.trx, invoice)
  if (args.amountCents > balance) {
    return reject(
      'invalid',
      `Payment of ${formatCents(args.amountCents)} is more than the balance of ${formatCents(balance)} on invoice ${invoice.number}.`,
    )
  }

  await ctx.trx
    .insertInto('payments')
    .values({
      id: args.id,
      invoice_id: invoice.id,
      job_id: invoice.job_id,
      method: args.method,
      amount_cents: args.amountCents,
      reference: args.reference ?? null,
      received_at: args.receivedAt,
      created_at: ctx.now.toISOString(),
      rev: ctx.rev,
    })
    .execute()
  if (balance - args.amountCents === 0 && invoice.status !== 'paid') {
    await ctx.trx
      .updateTable('invoices')
      .set({
        status: 'paid',
        version: invoice.version + 1,
        rev: ctx.rev,
        updated_at: ctx.now.toISOString(),
      })
      .where('id', '=', invoice.id)
      .execute()
  }
  return { ok: true }
}
