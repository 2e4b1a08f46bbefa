import { entityKey } from '../outboxEntry'
import { money, nameDoc, nameJob } from './labels'
import type { LocalAction } from './localAction'

const METHOD = { cash: 'Cash', check: 'Check', other: 'Other' } as const

export const paymentAdd: LocalAction<'payment.add'> = {
  tables: (db) => [db.payments, db.invoices, db.jobs],
  async describe(db, args) {
    const invoice = await db.invoices.get(args.invoiceId)
    const job = invoice ? await db.jobs.get(invoice.jobId) : undefined
    return {
      label: `${METHOD[args.method]} payment of ${money(args.amountCents)} on ${nameDoc('Invoice', invoice)} (${nameJob(job)})`,
      jobId: invoice?.jobId,
      entityKeys: [
        entityKey('payments', args.id),
        entityKey('invoices', args.invoiceId),
        ...(invoice ? [entityKey('jobs', invoice.jobId)] : []),
      ],
      dependsOn: [entityKey('invoices', args.invoiceId)],
    }
  },
  async apply(db, args) {
    const invoice = await db.invoices.get(args.invoiceId)
    await db.payments.put({
      ...args,
      reference: args.reference ?? null,
      jobId: invoice?.jobId ?? '',
      createdAt: args.receivedAt,
    })
  },
  async revert(db, args) {
    await db.payments.delete(args.id)
  },
}
