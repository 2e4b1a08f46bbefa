import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DOC_NUMBER_MAX } from '../../protocol/mutations'
import { freeNumber } from '../../server/mutations/freeNumber'
import { docNumber } from './documentActions'
import { PROPERTY_SEED, runsOf } from './run'

/**
 * A document number the job already has is renumbered (server/mutations/freeNumber.ts). Whatever
 * digits a device sends, the search ends, with a number the job does not have yet, that reads as
 * the one sent or one of its renumberings. Found by a hostile client: "E-9007199254740992" sent
 * twice never returned (a Number plus one is itself past 2^53).
 */
describe(`document numbers (PROPERTY_SEED=${PROPERTY_SEED})`, () => {
  it('a taken number always gets a free one, counted up from its digits', () => {
    fc.assert(
      fc.property(fc.uniqueArray(docNumber, { maxLength: 30 }), docNumber, (taken, wanted) => {
        const all = new Set([...taken, wanted])
        const got = freeNumber(all, wanted)
        expect(all.has(got)).toBe(false)
        // What the server gives, the app can send back: within the schema's length.
        expect(got.length).toBeLessThanOrEqual(DOC_NUMBER_MAX)
        const m = /^(.*-)(\d+)$/.exec(wanted)
        const stem = m ? (m[1] as string) : `${wanted}-`
        const n = /\d+$/.exec(got)?.[0] ?? ''
        // The stem, shortened only as far as the digits need.
        const kept = got.slice(0, got.length - n.length)
        expect(stem.startsWith(kept)).toBe(true)
        expect(kept.length).toBe(Math.min(stem.length, DOC_NUMBER_MAX - n.length))
        expect(BigInt(n) >= (m ? BigInt(m[2] as string) + 1n : 2n)).toBe(true)
      }),
      { seed: PROPERTY_SEED, numRuns: runsOf(300) },
    )
  })

  it('a free number is kept as sent', () => {
    fc.assert(
      fc.property(fc.uniqueArray(docNumber, { maxLength: 30 }), docNumber, (taken, wanted) => {
        const others = new Set(taken.filter((t) => t !== wanted))
        expect(freeNumber(others, wanted)).toBe(wanted)
      }),
      { seed: PROPERTY_SEED, numRuns: runsOf(100) },
    )
  })

  it('the numbers a Number cannot count past', () => {
    for (const wanted of ['E-9007199254740992', 'E-99999999999999999999999999999999999999']) {
      const next = freeNumber(new Set([wanted]), wanted)
      expect(next).not.toBe(wanted)
      expect(next.length).toBeLessThanOrEqual(DOC_NUMBER_MAX)
      expect(freeNumber(new Set([wanted, next]), wanted)).not.toBe(next)
    }
  })
})
