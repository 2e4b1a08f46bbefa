import fc from 'fast-check'

/**
 * Timestamps for the arbitraries: `validIso` in every shape valibot's isoTimestamp accepts (not
 * only toISOString's), `nearIso` at the edges of that shape and just outside it.
 */

/** The parts of a timestamp, formatted by `stamp`. */
interface Stamp {
  date: string
  sep: string
  time: string
  fraction: string
  zone: string
}
const stamp = (s: Stamp) =>
  `${s.date}${s.sep}${s.time}${s.fraction ? `.${s.fraction}` : ''}${s.zone}`
const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0')

/** How a timestamp is written: its offset and which of the accepted forms (see formatIso). */
export interface IsoShape {
  /** Minutes east of UTC, within ±23:59. */
  offset: number
  sep: 'T' | ' '
  /** Fraction digits, 0–9. */
  digits: number
  /** Digits past the millisecond when digits > 3. */
  extra: number
  /** Which zone form: Z/±HH/±HHMM/±HH:MM as the offset allows (taken modulo their count). */
  form: number
  /** A space before the offset (the schema's ` ?`). */
  space: boolean
}

export const isoShape: fc.Arbitrary<IsoShape> = fc.record({
  offset: fc.oneof(
    fc.constant(0),
    fc.integer({ min: -23, max: 23 }).map((h) => h * 60),
    fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
  ),
  sep: fc.constantFrom('T', ' '),
  digits: fc.integer({ min: 0, max: 9 }),
  extra: fc.integer({ min: 0, max: 999_999 }),
  form: fc.nat(5),
  space: fc.boolean(),
})

/** The instant `ms` written in `shape`: always a string valibot's isoTimestamp accepts. */
export function formatIso(ms: number, shape: IsoShape): string {
  const local = new Date(ms + shape.offset * 60_000).toISOString()
  const fraction = `${local.slice(20, 23)}${pad(shape.extra, 6)}`.slice(0, shape.digits)
  const sign = shape.offset < 0 ? '-' : '+'
  const hh = pad(Math.trunc(shape.offset / 60))
  const mm = pad(shape.offset % 60)
  const forms =
    shape.offset === 0
      ? ['Z', '+00', '-00', '+0000', '+00:00', '-00:00']
      : [
          `${sign}${hh}${mm}`,
          `${sign}${hh}:${mm}`,
          ...(shape.offset % 60 === 0 ? [`${sign}${hh}`] : []),
        ]
  const zone = forms[shape.form % forms.length] as string
  return stamp({
    date: local.slice(0, 10),
    sep: shape.sep,
    time: local.slice(11, 19),
    fraction,
    zone: zone !== 'Z' && shape.space ? ` ${zone}` : zone,
  })
}

const YEAR_1971 = Date.UTC(1971, 0, 1)
const YEAR_2099 = Date.UTC(2099, 0, 1)

/** A real instant (1971–2099) written in any shape valibot's isoTimestamp accepts. */
export function validIsoAt(instants: fc.Arbitrary<number>): fc.Arbitrary<string> {
  return fc.tuple(instants, isoShape).map(([ms, shape]) => formatIso(ms, shape))
}

/** The ordinary device form, e.g. 2026-11-28T09:30:00.000Z. */
export const canonicalIsoAt = (instants: fc.Arbitrary<number>) =>
  instants.map((ms) => new Date(ms).toISOString())

export const validIso = fc.oneof(
  { withCrossShrink: true },
  { weight: 1, arbitrary: canonicalIsoAt(fc.integer({ min: YEAR_1971, max: YEAR_2099 })) },
  { weight: 2, arbitrary: validIsoAt(fc.integer({ min: YEAR_1971, max: YEAR_2099 })) },
)

/**
 * Timestamps the schema accepts, at its edges: years 0000–0099 (JavaScript's legacy parser reads
 * "0050-…" as 1950), 9999 (plus an offset: past year 9999), Feb 29–31 and Apr 31 (days that may
 * not exist), 23:59:59, 1–9 fraction digits, every zone form with the extreme offsets.
 */
const edgeValidIso = fc
  .record({
    year: fc.constantFrom(
      '0000',
      '0001',
      '0050',
      '0099',
      '0100',
      '1582',
      '1900',
      '1969',
      '2024',
      '9999',
    ),
    month: fc.constantFrom('01', '02', '04', '12'),
    day: fc.constantFrom('01', '28', '29', '30', '31'),
    sep: fc.constantFrom('T', ' '),
    time: fc.constantFrom('00:00:00', '12:00:00', '23:59:59'),
    fraction: fc.constantFrom('', '0', '5', '999', '9999', '999999999', '123456789'),
    zone: fc.constantFrom(
      'Z',
      '+00',
      '-00',
      '+01',
      '-0530',
      '+01:00',
      ' +01',
      ' -05:30',
      ' +0000',
      '+23:59',
      '-23:59',
    ),
  })
  .map((p) =>
    stamp({
      date: `${p.year}-${p.month}-${p.day}`,
      sep: p.sep,
      time: p.time,
      fraction: p.fraction,
      zone: p.zone,
    }),
  )

/** Just outside the shape: hour 24, a leap second, month 13, lower-case t/z, 10 fraction digits. */
const edgeInvalidIso = fc
  .record({
    valid: edgeValidIso,
    break: fc.constantFrom<[RegExp, string]>(
      [/[T ]\d\d/, 'T24'],
      [/:\d\d(?=[.Z +-]|$)/, ':60'],
      [/-\d\d-/, '-13-'],
      [/-\d\d(?=[T ])/, '-00'],
      [/T/, 't'],
      [/Z$/, 'z'],
      [/Z$/, ''],
      [/[+-]\d\d(:?\d\d)?$/, '+24:00'],
      [/[+-]\d\d(:?\d\d)?$/, '+1'],
      [/:\d\d(?=[.Z +-]|$)/, ':5'],
    ),
  })
  .map(({ valid, break: [pattern, by] }) => valid.replace(pattern, by))
  // Nine fraction digits become ten.
  .map((s) => s.replace(/\.\d{9}/, (nine) => `${nine}0`))

const oddIso = fc.constantFrom<unknown>(
  ' 2026-01-01T00:00:00Z',
  '2026-01-01T00:00:00Z ',
  '2026-01-01',
  '2026-01-01T00:00Z',
  '+002026-01-01T00:00:00.000Z',
  '-000001-01-01T00:00:00.000Z',
  '10000-01-01T00:00:00Z',
  '20260101T000000Z',
  '２０２６-01-01T00:00:00Z',
  '2026-01-01T00:00:00Z\u0000',
  '2026-01-01T00:00:00.000Z\n',
  'Invalid Date',
  '',
  1767225600000,
  null,
)

/** Accepted shapes whose instant falls outside years 0000–9999, or right at their ends. */
const extremeIso = fc.constantFrom(
  '9999-12-31T23:59:59-23:59',
  '9999-12-31T23:59:59.999Z',
  '0000-01-01T00:00:00+01:00',
  '0000-01-01T00:00:00Z',
  '0000-01-01 00:00:00Z',
)

export const nearIso: fc.Arbitrary<unknown> = fc.oneof(
  { withCrossShrink: true },
  { weight: 2, arbitrary: validIso },
  { weight: 4, arbitrary: edgeValidIso },
  { weight: 2, arbitrary: edgeInvalidIso },
  { weight: 1, arbitrary: oddIso },
  { weight: 1, arbitrary: extremeIso },
)

/** Two timestamps, the second after the first (1 min to 30 days), in any accepted shapes. */
export function validTimeRange(): fc.Arbitrary<{ startsAt: string; endsAt: string }> {
  return fc
    .record({
      start: fc.integer({ min: YEAR_1971, max: YEAR_2099 }),
      minutes: fc.integer({ min: 1, max: 30 * 24 * 60 }),
    })
    .chain(({ start, minutes }) =>
      fc.record({
        startsAt: fc.oneof(canonicalIsoAt(fc.constant(start)), validIsoAt(fc.constant(start))),
        endsAt: fc.oneof(
          canonicalIsoAt(fc.constant(start + minutes * 60_000)),
          validIsoAt(fc.constant(start + minutes * 60_000)),
        ),
      }),
    )
}
