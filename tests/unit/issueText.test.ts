import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { SignInRequest } from '../../protocol/auth'
import { describeIssue } from '../../protocol/issueText'
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
})
