import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import type { Invoice } from '../../protocol/entities'
import { LineItems } from '../../protocol/lineItems'
import {
  documentTotals,
  formatCents,
  invoiceBalanceCents,
  lineTotalCents,
} from '../../protocol/money'
import { centsToInput, parseMoney } from '../../src/format'

const invoice = (lines: Array<[number, number]>, taxRateBps = 0): Invoice => ({
  id: 'i',
  jobId: 'j',
  number: 'I-1',
  status: 'sent',
  taxRateBps,
  estimateId: null,
  createdAt: '2026-11-28T00:00:00.000Z',
  version: 1,
  lineItems: lines.map(([quantity, unitPriceCents], n) => ({
    id: String(n),
    description: 'x',
    quantity,
    unitPriceCents,
  })),
})

describe('money is exact', () => {
  it('computes line totals in whole cents, with fractional quantities', () => {
    expect(lineTotalCents({ quantity: 1.5, unitPriceCents: 9_999 })).toBe(14_999) // 14998.5 rounds up
    expect(lineTotalCents({ quantity: 0.1, unitPriceCents: 30 })).toBe(3)
    expect(lineTotalCents({ quantity: 3, unitPriceCents: 1_005 })).toBe(3_015)
  })
  it('adds tax once on the subtotal and subtracts payments for the balance', () => {
    const inv = invoice(
      [
        [1, 12_500],
        [2.25, 8_000],
      ],
      825,
    )
    expect(documentTotals(inv)).toEqual({
      subtotalCents: 30_500,
      taxCents: 2_516,
      totalCents: 33_016,
    })
    expect(invoiceBalanceCents(inv, [{ amountCents: 10_000 }, { amountCents: 3_016 }])).toBe(20_000)
  })
  it('parses typed money without float error', () => {
    expect(parseMoney('0.29')).toBe(29)
    expect(parseMoney('$1,234.5')).toBe(123_450)
    expect(parseMoney('12')).toBe(1_200)
    expect(parseMoney('1.234')).toBeNull()
    expect(parseMoney('abc')).toBeNull()
    expect(centsToInput(1_050)).toBe('10.50')
    expect(formatCents(123_456)).toBe('$1,234.56')
  })
})

describe('every document the schema takes is computed exactly', () => {
  /** Half away from zero, in BigInt: `n / d` for n ≥ 0. */
  const roundDiv = (n: bigint, d: bigint) => (2n * n + d) / (2n * d)
  const line = fc.record({
    quantity: fc.integer({ min: 0, max: 10_000_000 }).map((h) => h / 100),
    unitPriceCents: fc.oneof(
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 0, max: 1_000_000_000 }),
    ),
  })
  it('line totals and tax equal exact integer arithmetic, and over $1B is refused', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 10_000 }),
        (lines, taxRateBps) => {
          const lineItems = lines.map((l, i) => ({
            id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            description: 'x',
            ...l,
          }))
          const exactLines = lineItems.map((l) =>
            roundDiv(BigInt(Math.round(l.quantity * 100)) * BigInt(l.unitPriceCents), 100n),
          )
          const exactSubtotal = exactLines.reduce((a, b) => a + b, 0n)
          const accepted = v.safeParse(LineItems, lineItems).success
          const withinLimit =
            exactSubtotal <= 100_000_000_000n && exactLines.every((t) => t <= 100_000_000_000n)
          expect(accepted).toBe(withinLimit)
          if (!accepted) return
          const totals = documentTotals({ lineItems, taxRateBps })
          expect(BigInt(totals.subtotalCents)).toBe(exactSubtotal)
          expect(BigInt(totals.taxCents)).toBe(
            roundDiv(exactSubtotal * BigInt(taxRateBps), 10_000n),
          )
        },
      ),
      { numRuns: 500 },
    )
  })
})
