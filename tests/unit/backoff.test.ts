import { describe, expect, it } from 'vitest'
import { retryDelayMs } from '../../offline/backoff'

describe('retryDelayMs', () => {
  it('doubles from 2 s and stops at 5 minutes', () => {
    const top = () => 1
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, top))).toEqual([2_000, 4_000, 8_000, 16_000])
    expect(retryDelayMs(20, top)).toBe(300_000)
  })
  it('jitters between half and all of the step', () => {
    expect(retryDelayMs(3, () => 0)).toBe(4_000)
    expect(retryDelayMs(3, () => 0.5)).toBe(6_000)
  })
})
