import fc from 'fast-check'
import { ESTIMATE_STATUSES, PAYMENT_METHODS } from '../../protocol/entities'
import type { Pools } from './catalog'
import { createdId, jobIdArb, nearId, ownedId } from './ids'
import { raw } from './json'
import { nearInteger } from './numbers'
import { type Flavours, nearFields, shapeNoise, someOf } from './step'
import { nearText, validText } from './texts'
import { nearIso, validIso } from './times'

/** Arbitraries of the money actions: estimates, invoices, payments, and their line items. */

const MAX_CENTS = 10_000_000_00

const cents = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 100_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: MAX_CENTS }) },
)
/** At most 2 decimals, 0–100,000 (hundredths, so the value is what a device would send). */
const quantity = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 10 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 100) },
)

const validLine = fc.record({
  id: fc.uuid(),
  description: validText(500),
  quantity,
  unitPriceCents: cents,
})

export const validLines = fc.oneof(
  // Ids unique within a document: the schema refuses a repeated line id.
  {
    weight: 8,
    arbitrary: fc.uniqueArray(validLine, { minLength: 1, maxLength: 4, selector: (l) => l.id }),
  },
  // The limit: exactly 200 lines.
  {
    weight: 1,
    arbitrary: validLine.map((line) =>
      Array.from({ length: 200 }, (_, i) => ({
        ...line,
        id: `${line.id.slice(0, 33)}${String(i).padStart(3, '0')}`,
      })),
    ),
  },
)

const nearLine = nearFields(validLine, {
  id: nearId([]),
  description: nearText(500),
  quantity: fc.constantFrom<unknown>(
    100_000,
    100_000.01,
    0.01,
    0.001,
    0.015,
    0.29,
    1e-9,
    -0.01,
    raw('-0'),
    raw('1e400'),
    '1',
  ),
  unitPriceCents: nearInteger(0, MAX_CENTS),
})

export const nearLines: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(validLine, nearLine), { minLength: 1, maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([], null, {}) },
  // Two lines under one id, which the line-by-id merge would collapse or double.
  { weight: 1, arbitrary: validLine.map((line) => [line, { ...line, quantity: 2 }]) },
  // At the money limit ($1B a line and a document, protocol/lineItems.ts): on it, a cent over it,
  // and two lines that pass alone but not together.
  {
    weight: 1,
    arbitrary: fc
      .tuple(validLine, fc.constantFrom([100], [100.01], [60, 60], [100, 0.01]))
      .map(([line, quantities]) =>
        quantities.map((quantity, i) => ({
          ...line,
          id: `${line.id.slice(0, 35)}${i}`,
          quantity,
          unitPriceCents: MAX_CENTS,
        })),
      ),
  },
  {
    weight: 1,
    arbitrary: validLine.map((line) =>
      Array.from({ length: 201 }, (_, i) => ({
        ...line,
        id: `${line.id.slice(0, 33)}${String(i).padStart(3, '0')}`,
      })),
    ),
  },
)

/**
 * A document number as a device may send it: any text, or a prefix and digits, among them digit
 * runs a Number cannot count past (2^53, 38 nines), and a few fixed ones so that the creates of
 * one case collide and are renumbered (server/mutations/freeNumber.ts).
 */
export const docNumber: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validText(40) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('E-1', 'E-1-2', 'E-9007199254740992', 'E-0', '9'.repeat(38)),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('', 'E-', 'I-1254-'), fc.stringMatching(/^\d{1,30}$/))
      .map(([prefix, digits]) => prefix + digits),
  },
)

const taxRate = fc.integer({ min: 0, max: 10_000 })
const nearTaxRate = nearInteger(0, 10_000)

export function estimateCreate(pools: Pools): Flavours {
  const valid = fc.record({
    id: createdId(pools.estimates.mine),
    jobId: jobIdArb(pools),
    number: docNumber,
    lineItems: validLines,
    taxRateBps: taxRate,
    createdAt: validIso,
  })
  return {
    valid: valid.map((args) => ({ name: 'estimate.create', args })),
    nearValid: nearFields(valid, {
      id: nearId([]),
      jobId: nearId(pools.jobs.mine),
      number: nearText(40),
      lineItems: nearLines,
      taxRateBps: nearTaxRate,
      createdAt: nearIso,
    }).map((args) => ({ name: 'estimate.create', args })),
  }
}

export function invoiceCreate(pools: Pools): Flavours {
  const valid = jobIdArb(pools).chain((jobId) =>
    fc.record({
      id: createdId(pools.invoices.mine),
      jobId: fc.constant(jobId),
      number: docNumber,
      lineItems: validLines,
      taxRateBps: taxRate,
      // From one of the job's estimates (if it has any), or from none.
      estimateId: fc.oneof(
        fc.constant(null),
        ...(pools.estimatesOf.has(jobId)
          ? [ownedId({ mine: pools.estimatesOf.get(jobId)!, others: pools.estimates.mine })]
          : []),
      ),
      createdAt: validIso,
    }),
  )
  return {
    valid: valid.map((args) => ({ name: 'invoice.create', args })),
    nearValid: nearFields(valid, {
      id: nearId([]),
      jobId: nearId(pools.jobs.mine),
      number: nearText(40),
      lineItems: nearLines,
      taxRateBps: nearTaxRate,
      estimateId: nearId(pools.estimates.mine),
      createdAt: nearIso,
    }).map((args) => ({ name: 'invoice.create', args })),
  }
}

/** An edit of a document: `base` names the changed fields; the harness fills their values. */
function documentEdit<K extends 'estimateId' | 'invoiceId', C extends Record<string, unknown>>(
  idKey: K,
  ids: fc.Arbitrary<string>,
  changes: { [F in keyof C]: fc.Arbitrary<C[F]> },
) {
  type Edit = { [P in K]: string } & { baseVersion: number; changes: Partial<C>; base: Partial<C> }
  return fc
    .record({ id: ids, baseVersion: fc.nat(20), changes: someOf<C>(changes) })
    .map(({ id, ...rest }) => ({ [idKey]: id, ...rest, base: { ...rest.changes } }) as Edit)
}

export function estimateUpdate(pools: Pools): Flavours {
  const valid = documentEdit('estimateId', ownedId(pools.estimates), {
    lineItems: validLines,
    status: fc.constantFrom(...ESTIMATE_STATUSES),
    taxRateBps: taxRate,
  })
  const nearChanges = fc
    .record(
      {
        lineItems: nearLines,
        status: fc.constantFrom('Draft', 'paid', '', null),
        taxRateBps: nearTaxRate,
        number: fc.constant('E-1'),
      },
      { requiredKeys: [] },
    )
    .chain(shapeNoise)
  return {
    valid: valid.map((args) => ({ name: 'estimate.update', args, fill: {} })),
    nearValid: fc
      .record({
        args: nearFields(valid, {
          estimateId: nearId(pools.estimates.mine),
          baseVersion: nearInteger(0, Number.MAX_SAFE_INTEGER),
          changes: nearChanges,
          base: fc.oneof(fc.constant({}), nearChanges),
        }),
        fill: fc.boolean(),
      })
      .map(({ args, fill }) => ({ name: 'estimate.update', args, ...(fill && { fill: {} }) })),
  }
}

export function invoiceUpdate(pools: Pools): Flavours {
  const valid = documentEdit('invoiceId', ownedId(pools.invoices), {
    lineItems: validLines,
    taxRateBps: taxRate,
  })
  const nearChanges = fc
    .record(
      { lineItems: nearLines, taxRateBps: nearTaxRate, status: fc.constant('void') },
      { requiredKeys: [] },
    )
    .chain(shapeNoise)
  return {
    valid: valid.map((args) => ({ name: 'invoice.update', args, fill: {} })),
    nearValid: fc
      .record({
        args: nearFields(valid, {
          invoiceId: nearId(pools.invoices.mine),
          baseVersion: nearInteger(0, Number.MAX_SAFE_INTEGER),
          changes: nearChanges,
          base: fc.oneof(fc.constant({}), nearChanges),
        }),
        fill: fc.boolean(),
      })
      .map(({ args, fill }) => ({ name: 'invoice.update', args, ...(fill && { fill: {} }) })),
  }
}

export function paymentAdd(pools: Pools): Flavours {
  const valid = fc.constantFrom(...PAYMENT_METHODS).chain((method) =>
    fc.record({
      id: createdId(),
      invoiceId: ownedId(pools.invoices),
      method: fc.constant(method),
      amountCents: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: MAX_CENTS }) },
      ),
      reference:
        method === 'check' ? validText(100) : fc.option(validText(100), { nil: undefined }),
      receivedAt: validIso,
    }),
  )
  return {
    valid: valid.map((args) => ({ name: 'payment.add', args })),
    nearValid: nearFields(valid, {
      id: nearId([]),
      invoiceId: nearId(pools.invoices.mine),
      method: fc.constantFrom('Cash', 'card', 'check', ''),
      amountCents: nearInteger(1, MAX_CENTS),
      reference: fc.oneof(nearText(100), fc.constant(null)),
      receivedAt: nearIso,
    }).map((args) => ({ name: 'payment.add', args })),
  }
}
