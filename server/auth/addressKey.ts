import { isIP } from 'node:net'

/**
 * The client address the sign-in limit counts (rateLimit.ts), as one string per client.
 *
 * An IPv4 address is one client (or one NAT: hence the higher per-address limit). An IPv6
 * subscriber is handed a whole /64 (often more), and picks any of its 2^64 addresses at will
 * (privacy addresses rotate by themselves), so counting each address apart gave one client an
 * endless supply of fresh limits. An IPv6 address counts as its /64: `2001:db8:1:2::/64`,
 * whatever spelling it came in (`::` compression, leading zeros, upper case, a zone, a dotted
 * tail). An IPv4-mapped address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an
 * IPv4 client) is that IPv4 address, counted alone as if it came over IPv4.
 *
 * Anything that is not an address (it cannot come from Node's socket or proxy-addr) is its own
 * key, as before.
 */
export function addressKey(ip: string): string {
  const kind = isIP(ip)
  if (kind === 4) return ip
  const groups = kind === 6 ? ipv6Groups(ip) : null
  if (!groups) return ip
  if (groups.slice(0, 5).every((x) => x === 0) && groups[5] === 0xffff) {
    return groups
      .slice(6)
      .flatMap((x) => [x >> 8, x & 0xff])
      .join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address in any of its textual forms, or null. */
export function ipv6Groups(ip: string): number[] | null {
  // A zone (`fe80::1%eth0`) names the local interface, not the client.
  let text = ip.split('%')[0]?.toLowerCase() ?? ''
  const lastColon = text.lastIndexOf(':')
  const tail = text.slice(lastColon + 1)
  if (tail.includes('.')) {
    // A dotted IPv4 tail is the last two groups.
    if (isIP(tail) !== 4) return null
    const [p, q, r, s] = tail.split('.').map(Number) as [number, number, number, number]
    text = `${text.slice(0, lastColon + 1)}${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return null
  const words = (half: string) => (half === '' ? [] : half.split(':'))
  const head = words(halves[0] ?? '')
  const rest = halves.length === 2 ? words(halves[1] ?? '') : []
  // `::` stands for one or more zero groups; without it there must be eight.
  const zeros = 8 - head.length - rest.length
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return null
  const all = [...head, ...Array<string>(halves.length === 2 ? zeros : 0).fill('0'), ...rest]
  if (!all.every((w) => /^[0-9a-f]{1,4}$/.test(w))) return null
  return all.map((w) => Number.parseInt(w, 16))
}
