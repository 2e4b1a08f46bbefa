import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { argsHash, canonicalJson } from '../../server/sync/argsHash'

/**
 * The first canonical form, as it was when hashes were first stored (kept here verbatim): every
 * processed action's record holds a hash of it, so a resend after any server upgrade must hash
 * the same or it would read as a reused id.
 */
function firstCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstCanonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

describe('args hash', () => {
  it('canonical JSON is the same as the first version for any value a client can send', () => {
    const withUndefined = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.constant(undefined),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('value'), { maxKeys: 5 }),
      ),
    })).value
    fc.assert(
      fc.property(withUndefined, (value) => {
        expect(canonicalJson(value)).toBe(firstCanonicalJson(value))
      }),
      { numRuns: 2_000 },
    )
  })

  it('does not depend on key order, and a known action keeps its known hash', () => {
    const args = {
      id: 'a',
      jobId: 'b',
      body: 'Fixed the tap',
      createdAt: '2026-01-01T00:00:00.000Z',
    }
    const reordered = { createdAt: args.createdAt, body: args.body, jobId: 'b', id: 'a' }
    expect(argsHash('note.add', reordered)).toBe(argsHash('note.add', args))
    expect(argsHash('note.add', args)).toBe(
      '1776a75b7f14efd77dff835c51c2c6924757beade85b1ae1709d3567ea767b6a',
    )
  })
})
