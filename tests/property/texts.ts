import fc from 'fast-check'

/**
 * Text for the arbitraries: `validText` passes the schema's text(max) (trimmed, 1..max), and
 * `nearText` sits at and around its limits, with what a device can send that a test author
 * rarely types: NUL and other control characters, lone surrogates, odd spaces, astral pairs.
 */

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
