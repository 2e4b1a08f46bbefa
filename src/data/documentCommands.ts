import { v4 as uuidv4 } from 'uuid'
import type { Estimate, Invoice, Job, LineItem, PaymentMethod } from '../../protocol/entities'
import { formatCents, invoiceBalanceCents } from '../../protocol/money'
import { changedFields } from './changedFields'
import { type CommandResult, fail, now, ok, run } from './commands'
import { countedPayments } from './outboxState'
import { activeDb } from './session'

/** Estimates, invoices and payments: the money side of a job, as commands (see commands.ts). */

export async function recordPayment(
  invoice: Invoice,
  p: { method: PaymentMethod; amountCents: number; reference: string | null; receivedAt: string },
): Promise<CommandResult> {
  const db = activeDb()
  if (!db) return fail('Sign in first.')
  const balance = invoiceBalanceCents(
    invoice,
    countedPayments(await db.payments.where('invoiceId').equals(invoice.id).toArray()),
  )
  if (p.amountCents > balance) {
    return fail(
      `A payment of ${formatCents(p.amountCents)} is more than the balance of ${formatCents(balance)}.`,
    )
  }
  // Protocol 2: no reference is no key, not null (protocol/version.ts).
  const { reference, ...rest } = p
  return run('payment.add', {
    id: uuidv4(),
    invoiceId: invoice.id,
    ...rest,
    ...(reference ? { reference } : {}),
  })
}

export function updateEstimate(
  e: Estimate,
  next: Partial<Pick<Estimate, 'lineItems' | 'status' | 'taxRateBps'>>,
) {
  const d = changedFields(e, next)
  return d ? run('estimate.update', { estimateId: e.id, baseVersion: e.version, ...d }) : ok()
}

export function updateInvoice(
  i: Invoice,
  next: Partial<Pick<Invoice, 'lineItems' | 'taxRateBps'>>,
) {
  const d = changedFields(i, next)
  return d ? run('invoice.update', { invoiceId: i.id, baseVersion: i.version, ...d }) : ok()
}

async function nextNumber(prefix: 'E' | 'I', job: Job): Promise<string> {
  const db = activeDb()
  const table = prefix === 'E' ? db?.estimates : db?.invoices
  const count = (await table?.where('jobId').equals(job.id).count()) ?? 0
  return `${prefix}-${job.number}-${count + 1}`
}

export async function createEstimate(
  job: Job,
  lineItems: LineItem[],
  taxRateBps: number,
  id = uuidv4(),
) {
  const number = await nextNumber('E', job)
  return run('estimate.create', {
    id,
    jobId: job.id,
    number,
    lineItems,
    taxRateBps,
    createdAt: now(),
  })
}

export async function createInvoice(
  job: Job,
  lineItems: LineItem[],
  taxRateBps: number,
  estimateId: string | null,
  id = uuidv4(),
) {
  const number = await nextNumber('I', job)
  return run('invoice.create', {
    id,
    jobId: job.id,
    number,
    lineItems,
    taxRateBps,
    estimateId,
    createdAt: now(),
  })
}
