import { isIP } from 'node:net'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addressKey, ipv6Groups } from '../../server/auth/addressKey'

/**
 * The sign-in limit's address key (server/auth/addressKey.ts): an IPv6 address counts as its
 * /64 whatever its spelling, IPv4 (and IPv4-mapped IPv6) as the full address.
 */

// Zero groups often, or `::` would almost never be written (a random group is 0 once in 65,536).
const group = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.constant(0xffff), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 0xffff }), weight: 3 },
)
const groups = fc.array(group, { minLength: 8, maxLength: 8 })

/** One of the many spellings of eight groups: any zero run as `::`, padding, case, a tail. */
const spelling = (gs: number[]) =>
  fc
    .record({
      pad: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
      upper: fc.boolean(),
      run: fc.nat(),
      dotted: fc.boolean(),
      zone: fc.boolean(),
    })
    .map(({ pad, upper, run, dotted, zone }) => {
      let words = gs.map((g, i) => g.toString(16).padStart(Math.min(4, (pad[i] ?? 0) + 1), '0'))
      if (dotted) {
        const [g6 = 0, g7 = 0] = gs.slice(6)
        words = [...words.slice(0, 6), [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.')]
      }
      // Every run of zero groups (not in a dotted tail) could be the one written `::`.
      const runs: Array<[number, number]> = []
      for (let i = 0; i < 6 + (dotted ? 0 : 2); i++) {
        if (gs[i] !== 0) continue
        for (let j = i + 1; j <= 6 + (dotted ? 0 : 2) && gs[j - 1] === 0; j++) runs.push([i, j])
      }
      let text = words.join(':')
      const chosen = runs.length > 0 ? runs[run % (runs.length + 1)] : undefined
      if (chosen) {
        const [i, j] = chosen
        text = `${words.slice(0, i).join(':')}::${words.slice(j).join(':')}`
      }
      if (upper) text = text.toUpperCase()
      return zone ? `${text}%eth0` : text
    })

const expected = (gs: number[]) =>
  gs.slice(0, 5).every((g) => g === 0) && gs[5] === 0xffff
    ? gs
        .slice(6)
        .flatMap((g) => [g >> 8, g & 0xff])
        .join('.')
    : `${gs
        .slice(0, 4)
        .map((g) => g.toString(16))
        .join(':')}::/64`

describe('addressKey', () => {
  it('reads every spelling of an IPv6 address as its groups, and keys it by its /64', () => {
    fc.assert(
      fc.property(
        groups.chain((gs) => fc.tuple(fc.constant(gs), spelling(gs))),
        ([gs, text]) => {
          expect(isIP(text), text).toBe(6)
          expect(ipv6Groups(text), text).toEqual(gs)
          expect(addressKey(text), text).toBe(expected(gs))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('gives one key to two addresses exactly when they share a /64 (or are one IPv4-mapped)', () => {
    fc.assert(
      fc.property(groups, groups, fc.boolean(), (a, b, samePrefix) => {
        const other = samePrefix ? [...a.slice(0, 4), ...b.slice(4)] : b
        const mapped = (gs: number[]) => gs.slice(0, 5).every((g) => g === 0) && gs[5] === 0xffff
        const same =
          mapped(a) || mapped(other)
            ? a.join() === other.join() ||
              (mapped(a) && mapped(other) && a.slice(6).join() === other.slice(6).join())
            : a.slice(0, 4).join() === other.slice(0, 4).join()
        const key = (gs: number[]) => addressKey(gs.map((g) => g.toString(16)).join(':'))
        expect(key(a) === key(other)).toBe(same)
      }),
    )
  })

  it("agrees with the URL parser's canonical form of any address fast-check makes", () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const canonical = new URL(`http://[${ip}]/`).hostname.slice(1, -1)
        expect(addressKey(ip)).toBe(addressKey(canonical))
        expect(addressKey(ip)).toMatch(/^([0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::\/64|[\d.]+)$/)
      }),
    )
  })

  it('keeps IPv4 whole, and reads an IPv4-mapped address as that IPv4 address', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(addressKey(ip)).toBe(ip)
        expect(addressKey(`::ffff:${ip}`)).toBe(ip)
        expect(addressKey(`::FFFF:${ip}`)).toBe(ip)
        expect(addressKey(`0:0:0:0:0:ffff:${ip}`)).toBe(ip)
      }),
    )
    expect(addressKey('::ffff:c000:0201')).toBe('192.0.2.1')
  })

  it('handles the compressed forms and edge cases by hand too', () => {
    expect(addressKey('::')).toBe('0:0:0:0::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64')
    expect(addressKey('2001:DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'))
    expect(addressKey('2001:db8:1::2:3')).toBe('2001:db8:1:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64')
    // Not addresses (never from a socket): their own key, as before.
    for (const junk of ['', 'unknown', '1::2::3', '2001:db8:::1'])
      expect(addressKey(junk)).toBe(junk)
    for (const junk of ['1::2::3', '1:2:3:4:5:6:7:8:9', '::1.2.3', 'g::1']) {
      expect(ipv6Groups(junk)).toBeNull()
    }
  })
})
