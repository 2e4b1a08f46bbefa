import fc from 'fast-check'
import { type RawJson, raw } from './json'

/**
 * The building blocks of the mutation arbitraries: text, times, numbers and ids, each as `valid*`
 * (passes the shared schema's rule) and `near*` (at, around and just past the rule's limits, plus
 * what a real device can send that a test author rarely types: NUL, lone surrogates, odd
 * spaces, every timestamp shape valibot's isoTimestamp lets through).
 */

// ---------------------------------------------------------------------------------------------
// Text

/** Pieces that have broken text handling somewhere: control characters, surrogates, spaces. */
export const NASTY_PIECES = [
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\u200b',
  '\u202e',
  '\u3000',
  '\t',
  '\n',
  '\r\n',
  ' ',
  '😀',
  '👩‍👩‍👧',
  'e\u0301',
  '𝕏',
  'ß',
  'İ',
  '字',
  '\\',
  '"',
  "'",
  '%00',
  '\\u0000',
  '<b>',
  '$' + '{x}',
  "'); drop table notes; --",
  'null',
] as const

const piece = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_PIECES) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }) },
)
const nastyString = fc.array(piece, { minLength: 1, maxLength: 10 }).map((xs) => xs.join(''))

/** `unit` repeated to exactly `length` UTF-16 code units (what valibot's maxLength counts). */
const repeatTo = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length)

/** Text a technician types: trimmed length 1..max (the schema's text(max)). */
export function validText(max: number): fc.Arbitrary<string> {
  return fc
    .oneof(
      { withCrossShrink: true },
      { weight: 8, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
      { weight: 2, arbitrary: nastyString },
      {
        // At the limit: exactly max characters once trimmed.
        weight: 1,
        arbitrary: fc
          .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 6 })
          .map((s) => repeatTo(`x${s}`, max)),
      },
    )
    .filter((s) => {
      const t = s.trim()
      return t.length >= 1 && t.length <= max
    })
}

/** Around text(max)'s limits: empty after trim, max and max+1, astral pairs cut at the limit. */
export function nearText(max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 6, arbitrary: nastyString },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        '\t\n ',
        '\u00a0\ufeff\u3000',
        '\u200b',
        '\u0000',
        ' \u0000 ',
        '\ud800',
        repeatTo('x', max),
        repeatTo('x', max + 1),
        `  ${repeatTo('y', max)}  `,
        repeatTo('😀', max),
        repeatTo('😀', max + 1),
        `${repeatTo('z', max - 1)}\u0000`,
        `${repeatTo('z', max - 1)}\ud83d`,
        repeatTo('é', max * 3),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(null, 0, true, [], {}, ['a']) },
  )
}

/** A description: like text but may be empty (job.update's Description, at most max). */
export function validDescription(max: number): fc.Arbitrary<string> {
  return fc.oneof(validText(max), fc.constantFrom('', '   ', '\n\n'))
}

// ---------------------------------------------------------------------------------------------
// Times

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

export const nearIso: fc.Arbitrary<unknown> = fc.oneof(
  { withCrossShrink: true },
  { weight: 2, arbitrary: validIso },
  { weight: 4, arbitrary: edgeValidIso },
  { weight: 2, arbitrary: edgeInvalidIso },
  { weight: 1, arbitrary: oddIso },
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

// ---------------------------------------------------------------------------------------------
// Numbers

/**
 * Numbers at and just past an integer rule [min, max], plus what JSON can carry that a test
 * rarely sends: -0, 1e400 (Infinity), 2^31 (past a PostgreSQL integer), 2^53 (past exact).
 */
export function nearInteger(min: number, max: number): fc.Arbitrary<number | RawJson | unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(min, max, min - 1, max + 1, min + 1, max - 1) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        0.5,
        max + 0.5,
        2 ** 31 - 1,
        2 ** 31,
        2 ** 32,
        2 ** 53 - 1,
        2 ** 53,
        2 ** 63,
        1e21,
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
        Number.MIN_VALUE,
        -(2 ** 31),
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(raw('-0'), raw('1e400'), raw('-1e400'), raw('1.0'), raw('1E2')),
    },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('1', null, true, [], {}) },
    { weight: 2, arbitrary: fc.integer({ min, max: Math.min(max, Number.MAX_SAFE_INTEGER) }) },
  )
}

// ---------------------------------------------------------------------------------------------
// Ids

export const NIL_ID = '00000000-0000-0000-0000-000000000000'
export const MAX_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff'

/** Mostly an id from the pool (a seeded row), sometimes one nothing has. */
export function idFrom(pool: readonly string[]): fc.Arbitrary<string> {
  if (pool.length === 0) return fc.uuid()
  return fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...pool) },
    { weight: 1, arbitrary: fc.uuid() },
  )
}

/** Ids the uuid rule accepts but nothing has (upper case, nil, max) and ones it refuses. */
export function nearId(pool: readonly string[]): fc.Arbitrary<unknown> {
  const some = pool.length > 0 ? fc.constantFrom(...pool) : fc.uuid()
  return fc.oneof(
    { weight: 4, arbitrary: some },
    { weight: 2, arbitrary: some.map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(NIL_ID, MAX_ID, MAX_ID.toUpperCase()) },
    {
      weight: 2,
      arbitrary: some.chain((id) =>
        fc.constantFrom<unknown>(
          id.replaceAll('-', ''),
          `{${id}}`,
          ` ${id}`,
          `${id}\u0000`,
          `${id}x`,
          id.slice(1),
          id.replace(/\d/, '٣'),
          '',
          null,
          42,
        ),
      ),
    },
  )
}
