import { describe, expect, it } from 'vitest'
import { canonicalDateTime } from '../../protocol/dateTime'

describe('canonicalDateTime: every accepted shape becomes UTC with milliseconds and Z', () => {
  it.each([
    ['2026-11-28T09:30:00.000Z', '2026-11-28T09:30:00.000Z'],
    ['2026-01-01T00:00:00+01', '2025-12-31T23:00:00.000Z'],
    ['2026-01-01T00:00:00+0100', '2025-12-31T23:00:00.000Z'],
    ['2026-01-01T00:00:00-05:30', '2026-01-01T05:30:00.000Z'],
    ['2026-01-01 09:30Z', '2026-01-01T09:30:00.000Z'],
    ['2026-01-01t09:30:00,5z', '2026-01-01T09:30:00.500Z'],
    ['2026-11-28T09:30:00.123456789Z', '2026-11-28T09:30:00.123Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['0050-06-01T00:00Z', '0050-06-01T00:00:00.000Z'],
    ['0000-01-01T01:00:00+01:00', '0000-01-01T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalDateTime(input)).toBe(expected)
  })

  it.each([
    '2026-02-31T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-01T00:00:00+24:00',
    '2026-01-01T00:00:00',
    '2026-01-01',
    '0000-01-01T00:00:00+01:00',
    '9999-12-31T23:59:59-01:00',
    '+012026-01-01T00:00:00Z',
    ' 2026-01-01T00:00:00Z',
    'yesterday',
  ])('refuses %s', (input) => {
    expect(canonicalDateTime(input)).toBeNull()
  })

  it('is a fixed point: the canonical form parses to itself', () => {
    for (let t = -62_000_000_000_000; t < 253_000_000_000_000; t += 7_777_777_777_777) {
      const iso = new Date(t).toISOString()
      expect(canonicalDateTime(iso)).toBe(iso)
    }
  })
})
