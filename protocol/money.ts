import type { Estimate, Invoice, LineItem, Payment } from './entities'

/**
 * Money is integer cents everywhere; this is the one place totals are computed, used by the
 * screens, the device's checks and the server alike, so they can never disagree by a cent.
 * Quantities have at most 2 decimals; each line rounds half away from zero to whole cents.
 */
export function lineTotalCents(item: Pick<LineItem, 'quantity' | 'unitPriceCents'>): number {
  const hundredths = Math.round(item.quantity * 100)
  return roundHalfAway((hundredths * item.unitPriceCents) / 100)
}

export interface Totals {
  subtotalCents: number
  taxCents: number
  totalCents: number
}

export function documentTotals(doc: Pick<Estimate | Invoice, 'lineItems' | 'taxRateBps'>): Totals {
  const subtotalCents = doc.lineItems.reduce((sum, item) => sum + lineTotalCents(item), 0)
  const taxCents = roundHalfAway((subtotalCents * doc.taxRateBps) / 10_000)
  return { subtotalCents, taxCents, totalCents: subtotalCents + taxCents }
}

/** What is still owed on an invoice after the payments recorded against it. */
export function invoiceBalanceCents(
  invoice: Invoice,
  payments: Pick<Payment, 'amountCents'>[],
): number {
  const paid = payments.reduce((sum, p) => sum + p.amountCents, 0)
  return documentTotals(invoice).totalCents - paid
}

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x))
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
export const formatCents = (cents: number) => usd.format(cents / 100)
