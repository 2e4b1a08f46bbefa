import * as v from 'valibot'
import type { LineItem } from './entities'
import { Id, text } from './fields'
import { lineTotalCents } from './money'

/** The money parts of estimates, invoices and payments, shared by every action and office route. */

export const MAX_CENTS = 10_000_000_00 // $10M: far above any field payment, far below float trouble
export const Cents = v.pipe(
  v.number(),
  v.integer('must be whole cents'),
  v.minValue(0),
  v.maxValue(MAX_CENTS),
)
export const MAX_QUANTITY = 100_000
const MAX_LINES = 200
export const MAX_DOCUMENT_CENTS = 1_000_000_000_00
const MAX_DOCUMENT_WORDS = '$1,000,000,000.00'
const Quantity = v.pipe(
  v.number(),
  v.minValue(0),
  v.maxValue(MAX_QUANTITY),
  v.check(hasAtMost2Decimals, 'must have at most 2 decimals'),
)
/**
 * Whether `q` (0 to MAX_QUANTITY) is exactly what a number written with at most 2 decimals parses
 * to: the double nearest to k/100 for a whole k. Exact, no tolerance: a tolerance of 1e-6 let
 * 1e-9 and 0.0100000001 through, stored as sent. Why the test below accepts every such double:
 * write q = (k/100)(1+d) with |d| <= 2^-53 and k <= 10^7. Then q*100 = k(1+d) is within
 * 10^7 * 2^-53 (about 1.1e-9) of k, and rounding that product to a double moves it by at most
 * half an ulp of 10^7 (about 9.3e-10), so it stays far closer to k than 0.5 and Math.round gives
 * k. k is a whole number below 2^53, so exact, and k / 100 is the division correctly rounded:
 * the double nearest to k/100, which is q. Conversely, if the test passes, q is that nearest
 * double for k = Math.round(q * 100). So it accepts exactly the 2-decimal numbers.
 */
export function hasAtMost2Decimals(q: number): boolean {
  return Math.round(q * 100) / 100 === q
}

export const TaxRateBps = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))
export const LineItemInput = v.strictObject({
  id: Id,
  description: text(500),
  quantity: Quantity,
  unitPriceCents: Cents,
})
export const LineItems = v.pipe(
  v.array(LineItemInput),
  v.minLength(1, 'needs at least one line'),
  v.maxLength(MAX_LINES, `must have at most ${MAX_LINES} lines`),
  // Totals are computed in doubles (money.ts): a line's quantity × price, and the tax on the
  // subtotal (× up to 10,000 bps), stay whole and exact below 2^53 only while a document is at
  // most $1B. Above, device and server still agreed, but the tax was a cent off (a probe).
  v.check(
    (lines) => withinMoneyLimit(lines),
    `must add up to at most ${MAX_DOCUMENT_WORDS}, each line too`,
  ),
  // Lines are merged by id (merge.ts): two lines under one id would be collapsed or doubled.
  v.check(
    (lines) => repeatedLineId(lines) === null,
    (issue) => `has more than one line with the id ${repeatedLineId(issue.input as LineItem[])}`,
  ),
)

/**
 * The rules of a list of lines as a whole (LineItems checks them too): 1 to 200 lines, at most
 * $1B in all and on each line, no id twice. Each line may be valid and the list still break one:
 * what a merge of two valid lists (merge.ts) must be checked against.
 */
export function listRulesHold(lines: readonly LineItem[]): boolean {
  return (
    lines.length >= 1 &&
    lines.length <= MAX_LINES &&
    withinMoneyLimit(lines) &&
    repeatedLineId(lines) === null
  )
}

/** Whether every line's total, and their sum, is at most $1B. */
function withinMoneyLimit(
  lines: readonly Pick<LineItem, 'quantity' | 'unitPriceCents'>[],
): boolean {
  let sum = 0
  for (const line of lines) {
    const total = lineTotalCents(line)
    if (total > MAX_DOCUMENT_CENTS) return false
    sum += total
  }
  return sum <= MAX_DOCUMENT_CENTS
}

/** The first line id that appears twice, or null. */
function repeatedLineId(lines: readonly { id: string }[]): string | null {
  const seen = new Set<string>()
  for (const { id } of lines) {
    if (seen.has(id)) return id
    seen.add(id)
  }
  return null
}
