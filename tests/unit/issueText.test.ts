import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { SignInRequest } from '../../protocol/auth'
import { Seq, Version } from '../../protocol/fields'
import { describeIssue, MAX_ISSUE_CHARS } from '../../protocol/issueText'
import { MUTATION_NAMES, parseMutationArgs } from '../../protocol/mutations'

/** valibot's generic messages never reach a person: every refusal names the field in words. */
function first(schema: v.GenericSchema, input: unknown): string {
  const result = v.safeParse(schema, input)
  if (result.success) throw new Error('expected a problem')
  return describeIssue(result.issues[0])
}

describe('a refusal in words', () => {
  it('names a missing field, a wrong type, an unknown field and a body that is not an object', () => {
    expect(first(SignInRequest, {})).toBe('email is required')
    expect(first(SignInRequest, { email: ['a'], password: 'x' })).toBe('email must be text')
    expect(first(SignInRequest, { email: 'a@b.co', password: 'x', colour: 1 })).toBe(
      'colour is not a field this takes',
    )
    expect(first(SignInRequest, [1, 2])).toBe('The body must be a JSON object.')
    expect(first(SignInRequest, 'x')).toBe('The body must be a JSON object.')
    expect(first(SignInRequest, undefined)).toBe('The body is missing.')
  })

  it('keeps our own messages', () => {
    expect(first(v.object({ n: v.nullable(v.number()) }), { n: 'x' })).toBe('n must be a number')
    const bad = parseMutationArgs('note.add', { id: 'x' })
    expect(bad.ok).toBe(false)
    expect(parseMutationArgs('note.add', [])).toMatchObject({
      reason: 'The action’s details must be a JSON object.',
    })
    if (!bad.ok) expect(bad.reason).not.toMatch(/Invalid (type|key)/)
  })

  it('never lets a generic valibot message through for any action', () => {
    for (const args of [null, 1, 'x', [], {}, { jobId: 5 }, { body: [] }]) {
      for (const name of MUTATION_NAMES) {
        const r = parseMutationArgs(name, args)
        if (!r.ok)
          expect(r.reason, `${name} ${JSON.stringify(args)}`).not.toMatch(/^Invalid|: Expected/)
      }
    }
  })

  it('is bounded whatever a client sends: a huge made-up key or value is never echoed whole', () => {
    const id = '0b7d4b1e-6a4f-4c1e-9a59-2f1f3c2b8e10'
    const note = { id, jobId: id, body: 'x', createdAt: '2026-11-28T09:30:00.000Z' }
    const form = { formId: id, baseVersion: 1, answers: {}, base: {} }
    const huge = fc.oneof(
      fc.string({ minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 200, maxLength: 5_000 }),
      fc.constant('k'.repeat(1_000_000)),
      fc.constant('\ud83d\ude00'.repeat(400)),
    )
    const cases = fc.oneof(
      // A valid action plus one made-up field: the issue is the key itself.
      huge.map((key) => ['note.add', { ...note, [key]: 1 }] as const),
      huge.map(
        (key) =>
          ['jobForm.answer', { ...form, answers: { [key]: 'a' }, base: { [key]: null } }] as const,
      ),
      huge.map((key) => ['jobForm.answer', { ...form, base: { [key]: null } }] as const),
      fc
        .tuple(fc.constantFrom(...MUTATION_NAMES), huge)
        .map(([n, key]) => [n, { [key]: key }] as const),
    )
    fc.assert(
      fc.property(cases, ([name, args]) => {
        const r = parseMutationArgs(name, args)
        expect(r.ok).toBe(false)
        if (!r.ok) expect(r.reason.length).toBeLessThanOrEqual(MAX_ISSUE_CHARS)
      }),
      { numRuns: 300 },
    )
  })
})

describe('number and length rules without a message of ours', () => {
  it('are put in words, never valibot English', () => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['payment.add', { amountCents: 1.5 }, /amountCents must be/],
      ['estimate.update', { baseVersion: -1 }, /baseVersion must be 0 or more/],
    ]
    for (const [name, patch] of cases) {
      const r = parseMutationArgs(name as (typeof MUTATION_NAMES)[number], patch)
      if (!r.ok) expect(r.reason).not.toMatch(/Invalid|Expected|received/)
    }
    const seq = v.safeParse(v.object({ seq: Seq, n: Version }), { seq: -1, n: 1 })
    expect(seq.success).toBe(false)
    if (!seq.success) expect(describeIssue(seq.issues[0])).toBe('seq must be 1 or more')
    const ver = v.safeParse(v.object({ n: Version }), { n: 1.5 })
    if (!ver.success) expect(describeIssue(ver.issues[0])).toBe('n must be a whole number')
    const big = v.safeParse(v.object({ n: Version }), { n: 2 ** 31 })
    if (!big.success) expect(describeIssue(big.issues[0])).toBe('n must be 2147483647 or less')
  })
})
