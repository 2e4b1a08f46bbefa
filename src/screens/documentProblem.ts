import {
  hasAtMost2Decimals,
  MAX_CENTS,
  MAX_DOCUMENT_CENTS,
  MAX_QUANTITY,
} from '../../protocol/lineItems'
import { formatCents, lineTotalCents } from '../../protocol/money'
import type { FormProblem } from '../components/FormError'

/**
 * The first thing to fix, by line and field, so the message can say where and focus go there;
 * null when the shared schema (protocol/lineItems.ts) will take it. Each of its rules is checked
 * here in the technician's words: a tax rate of 500 % got the schema's own sentence
 * ("taxRateBps must be 10000 or less"), on no field, read out twice.
 */
export function firstProblem(
  lines: Array<{ description: string; quantity: number; unitPriceCents: number | null }>,
  taxBps: number,
): FormProblem | null {
  let sum = 0
  for (const [i, l] of lines.entries()) {
    const n = i + 1
    if (!l.description)
      return { message: `Line ${n} needs a description.`, field: `line-${i}-description` }
    if (!Number.isFinite(l.quantity) || l.quantity < 0)
      return { message: `Line ${n}: enter a quantity like 1 or 2.5.`, field: `line-${i}-quantity` }
    if (l.quantity > MAX_QUANTITY || !hasAtMost2Decimals(l.quantity))
      return {
        message: `Line ${n}: enter a quantity up to ${MAX_QUANTITY.toLocaleString('en-US')}, with at most 2 decimals.`,
        field: `line-${i}-quantity`,
      }
    if (l.unitPriceCents === null)
      return { message: `Line ${n}: enter a unit price like 12.50.`, field: `line-${i}-price` }
    if (l.unitPriceCents > MAX_CENTS)
      return {
        message: `Line ${n}: enter a unit price up to ${formatCents(MAX_CENTS)}.`,
        field: `line-${i}-price`,
      }
    sum += lineTotalCents({ quantity: l.quantity, unitPriceCents: l.unitPriceCents })
    if (sum > MAX_DOCUMENT_CENTS)
      return {
        message: `Line ${n}: the lines add up to more than ${formatCents(MAX_DOCUMENT_CENTS)}.`,
        field: `line-${i}-quantity`,
      }
  }
  if (!Number.isFinite(taxBps)) return { message: 'Enter a tax rate like 8.25.', field: 'tax' }
  if (taxBps < 0 || taxBps > 10_000)
    return { message: 'Enter a tax rate from 0 to 100.', field: 'tax' }
  return null
}
