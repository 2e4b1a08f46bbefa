import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import type { FormField } from '../../protocol/entities'
import { MUTATION_NAMES, mutationSchemas } from '../../protocol/mutations'
import { acceptedArgs, generatedArbitraries, mutationArbitraries } from './arbitraries'
import { type Catalog, poolsOf } from './catalog'
import { canonicalIso, isoInstant, storedTimeProblem } from './iso'
import { raw, toJsonText } from './json'
import {
  acceptedBody,
  generatedOfficeArbitraries,
  OFFICE_SCHEMAS,
  type OfficeRoute,
  officeArbitraries,
} from './officeActions'
import { PROPERTY_SEED } from './run'
import { formatIso, isoShape } from './times'

/**
 * The arbitraries and the oracle themselves, without a server: `valid` really passes the schema
 * (after the trip through JSON a push makes), `nearValid` lands on both sides of it, and the
 * ISO oracle agrees with toISOString where JavaScript is right.
 */

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const FIELDS: FormField[] = [
  { id: uuid(900), label: 'Pressure', type: 'number' },
  { id: uuid(901), label: 'Works', type: 'yesno' },
  { id: uuid(902), label: 'Condition', type: 'choice', options: ['Good', 'Fair', 'Poor'] },
  { id: uuid(903), label: 'Comments', type: 'text' },
]
const ALEX = uuid(1)
const catalog: Catalog = {
  users: { alex: ALEX, sam: uuid(2), jordan: uuid(3), dana: uuid(4) },
  jobs: [10, 11, 12, 13].map((n) => ({
    id: uuid(n),
    number: n,
    technicianId: n < 12 ? ALEX : uuid(2),
  })),
  estimates: [
    { id: uuid(20), jobId: uuid(10) },
    { id: uuid(21), jobId: uuid(12) },
  ],
  invoices: [
    { id: uuid(30), jobId: uuid(10) },
    { id: uuid(31), jobId: uuid(13) },
  ],
  appointments: [
    { id: uuid(40), jobId: uuid(10) },
    { id: uuid(41), jobId: uuid(12) },
  ],
  forms: [
    { id: uuid(50), jobId: uuid(10), fields: FIELDS },
    { id: uuid(51), jobId: uuid(12), fields: FIELDS },
  ],
  labels: [uuid(60), uuid(61)],
}
const pools = poolsOf(catalog)
const arbitraries = mutationArbitraries(pools)
const generated = generatedArbitraries(pools)

/** Args as the server receives them: through JSON text. */
const wire = (args: unknown) => JSON.parse(toJsonText(args)) as unknown

const SAMPLES = 300

describe('the mutation arbitraries', () => {
  for (const name of MUTATION_NAMES) {
    it(`${name}: valid args mostly pass the schema, and the filter keeps only those that do`, () => {
      // Today every generated valid args pass; a tightened schema (refusing NUL, say) may drop
      // some, but a generator that mostly misses the schema would test little.
      const steps = fc.sample(generated[name].valid, { seed: PROPERTY_SEED, numRuns: SAMPLES })
      const accepted = steps.filter((s) => acceptedArgs(name, s.args)).length
      expect(accepted, 'accepted').toBeGreaterThanOrEqual(SAMPLES * 0.5)
      for (const step of fc.sample(arbitraries[name].valid, { seed: PROPERTY_SEED, numRuns: 50 })) {
        expect(v.safeParse(mutationSchemas[name], wire(step.args)).issues).toBeUndefined()
      }
    })

    it(`${name}: near-valid args land on both sides of the schema`, () => {
      const steps = fc.sample(arbitraries[name].nearValid, {
        seed: PROPERTY_SEED,
        numRuns: SAMPLES,
      })
      const accepted = steps.filter((s) => acceptedArgs(name, s.args)).length
      expect(accepted, 'accepted').toBeGreaterThan(SAMPLES * 0.05)
      expect(SAMPLES - accepted, 'refused').toBeGreaterThan(SAMPLES * 0.2)
    })
  }
})

describe('the office arbitraries', () => {
  const generatedOffice = generatedOfficeArbitraries(pools)
  const office = officeArbitraries(pools)
  for (const route of Object.keys(OFFICE_SCHEMAS) as OfficeRoute[]) {
    it(`${route}: valid bodies mostly pass the route's schema; near-valid ones land on both sides`, () => {
      const valid = fc.sample(generatedOffice[route].valid, {
        seed: PROPERTY_SEED,
        numRuns: SAMPLES,
      })
      expect(valid.filter((r) => acceptedBody(route, r.body)).length).toBeGreaterThanOrEqual(
        SAMPLES * 0.5,
      )
      for (const r of fc.sample(office[route].valid, { seed: PROPERTY_SEED, numRuns: 50 })) {
        expect(acceptedBody(route, r.body)).toBe(true)
      }
      const near = fc.sample(office[route].nearValid, { seed: PROPERTY_SEED, numRuns: SAMPLES })
      const accepted = near.filter((r) => acceptedBody(route, r.body)).length
      expect(accepted).toBeGreaterThan(SAMPLES * 0.05)
      expect(SAMPLES - accepted).toBeGreaterThan(SAMPLES * 0.1)
    })
  }
})

describe('the ISO-8601 oracle', () => {
  it('reads every canonical time as JavaScript does (years 0000–9999)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0000-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const text = d.toISOString()
          expect(isoInstant(text)).toEqual({ ok: true, ms: d.getTime(), fine: false })
          expect(canonicalIso(text)).toBe(text)
          expect(storedTimeProblem(text, text)).toBeNull()
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 500 },
    )
  })

  it('reads every shape formatIso writes as the instant it was made from', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 0, 1) }),
        isoShape,
        (ms, shape) => {
          const instant = isoInstant(formatIso(ms, shape))
          // Written with fewer than 3 fraction digits, the time lost its milliseconds.
          const shown = shape.digits >= 3 ? ms : ms - (ms % 10 ** (3 - shape.digits))
          expect(instant).toMatchObject({ ok: true, ms: shown })
        },
      ),
      { seed: PROPERTY_SEED, numRuns: 500 },
    )
  })

  it('knows the dates that do not exist and the shapes it must not read', () => {
    expect(isoInstant('2026-02-29T00:00:00Z').ok).toBe(false)
    expect(isoInstant('2024-02-29T00:00:00Z').ok).toBe(true)
    expect(isoInstant('1900-02-29T00:00:00Z').ok).toBe(false)
    expect(isoInstant('0000-02-29T00:00:00Z').ok).toBe(true)
    expect(isoInstant('2026-04-31T00:00:00Z').ok).toBe(false)
    expect(isoInstant('2026-01-01T24:00:00Z').ok).toBe(false)
    expect(isoInstant('2026-01-01T00:00:60Z').ok).toBe(false)
    expect(isoInstant('2026-01-01T00:00:00+01')).toEqual({
      ok: true,
      ms: Date.UTC(2025, 11, 31, 23),
      fine: false,
    })
    expect(isoInstant('0050-06-01 12:00:00 +0100')).toMatchObject({
      ok: true,
      ms: Date.parse('0050-06-01T11:00:00Z'),
    })
    // JavaScript's legacy parser reads that as 1950: the oracle flags such a stored value.
    expect(storedTimeProblem('1950-06-01T11:00:00.000Z', '0050-06-01 12:00:00 +0100')).toMatch(
      /which is 0050-06-01T11:00:00.000Z/,
    )
    expect(storedTimeProblem('+010000-01-01T23:58:59.000Z', '9999-12-31T23:59:59-23:59')).toMatch(
      /not YYYY/,
    )
    expect(storedTimeProblem('2026-03-03T00:00:00.000Z', '2026-02-31T00:00:00Z')).toMatch(
      /no such day/,
    )
    expect(storedTimeProblem('2026-01-01T00:00:00.999Z', '2026-01-01T00:00:00.9999Z')).toBeNull()
  })
})

describe('raw JSON numbers', () => {
  it('go on the wire as written', () => {
    expect(toJsonText({ a: raw('-0'), b: [raw('1e400')], c: 'raw' })).toBe(
      '{"a":-0,"b":[1e400],"c":"raw"}',
    )
    expect(Object.is((JSON.parse(toJsonText({ a: raw('-0') })) as { a: number }).a, -0)).toBe(true)
  })
})
