import fc from 'fast-check'
import type { FormAnswer, FormField } from '../../protocol/entities'
import type { Pools } from './catalog'
import { nearId } from './ids'
import { raw } from './json'
import { nearInteger } from './numbers'
import { type Flavours, nearFields } from './step'
import { nearText } from './texts'

/** Arbitraries of jobForm.answer: answers by field type, and keys and values around the rules. */

/** An answer that fits the field's type (null is a blank). */
export function answerFor(field: FormField): fc.Arbitrary<FormAnswer> {
  const typed: fc.Arbitrary<FormAnswer> =
    field.type === 'number'
      ? fc.oneof(
          fc.integer({ min: -1_000, max: 1_000 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        )
      : field.type === 'yesno'
        ? fc.boolean()
        : field.type === 'choice'
          ? fc.constantFrom(...(field.options ?? ['']))
          : fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constant('t'.repeat(2_000)))
  return fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: fc.constant(null) })
}

const nearAnswer = fc.oneof(
  nearText(2_000),
  fc.constantFrom<unknown>(
    'x'.repeat(2_001),
    raw('-0'),
    raw('1e400'),
    raw('-1e400'),
    1e308,
    Number.MIN_VALUE,
    2 ** 53 + 2,
    '42',
    [],
    {},
    'Good',
    'good',
  ),
)

export function jobFormAnswer(pools: Pools): Flavours {
  const forms = [...pools.forms.mine, ...pools.forms.others]
  const formArb = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...pools.forms.mine) },
    { weight: 1, arbitrary: fc.constantFrom(...forms) },
  )
  const valid = fc.tuple(formArb, fc.nat(20)).chain(([form, baseVersion]) =>
    fc.subarray(form.fields, { minLength: 1 }).chain((fields) =>
      fc.tuple(...fields.map(answerFor)).map((values) => {
        const answers = Object.fromEntries(fields.map((f, i) => [f.id, values[i] ?? null]))
        return { formId: form.id, baseVersion, answers, base: { ...answers } }
      }),
    ),
  )
  const fieldIds = [...new Set(forms.flatMap((f) => f.fields.map((x) => x.id)))]
  // Record keys: real field ids, the same in upper case (a valid UUID no field has), others.
  const key = fc.oneof(
    fc.constantFrom(...fieldIds),
    fc.constantFrom(...fieldIds).map((id) => id.toUpperCase()),
    fc.uuid(),
    fc.constantFrom('not-an-id', '', ' ', '\u0000'),
  )
  const nearAnswers = fc.oneof(
    fc.dictionary(key, nearAnswer, { minKeys: 1, maxKeys: 4 }),
    fc.constant({}),
    fc
      .uniqueArray(fc.uuid(), { minLength: 201, maxLength: 201 })
      .map((ids) => Object.fromEntries(ids.map((id) => [id, null]))),
  )
  return {
    valid: valid.map((args) => ({ name: 'jobForm.answer', args, fill: {} })),
    nearValid: fc
      .record({
        args: nearFields(valid, {
          formId: nearId(pools.forms.mine.map((f) => f.id)),
          baseVersion: nearInteger(0, Number.MAX_SAFE_INTEGER),
          answers: nearAnswers,
          base: fc.constant({}),
        }),
        fill: fc.boolean(),
      })
      .map(({ args, fill }) => ({ name: 'jobForm.answer', args, ...(fill && { fill: {} }) })),
  }
}
