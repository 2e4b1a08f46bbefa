import fc from 'fast-check'
import { type RawJson, raw } from './json'

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
