import { isIP } from 'node:net'
import { ConfigError } from '../configError'

/**
 * Names Fastify's proxy-addr understands for whole ranges: 127.0.0.1/8 and ::1 (`loopback`),
 * 169.254.0.0/16 and fe80::/10 (`linklocal`), 10/8, 172.16/12, 192.168/16 and fc00::/7
 * (`uniquelocal`).
 */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * TRUST_PROXY: the addresses (or CIDR ranges) of the proxies in front of the server, separated
 * by commas, e.g. `10.0.0.5, 10.0.1.0/24` or `loopback`. X-Forwarded-For/-Proto/-Host are
 * believed only from a peer in the list (Fastify walks X-Forwarded-For from the right and stops
 * at the first address not in it), so a client talking to the server directly cannot choose
 * the address the sign-in limiter counts.
 *
 * `1` and `true` used to mean "trust X-Forwarded-* from anyone": any client could then send
 * `X-Forwarded-For: <random>` and get a fresh per-address limit each time. They are refused at
 * start-up, with the way out in the message, instead of being quietly reinterpreted. Unset or
 * empty: no proxy is trusted.
 */
export function parseTrustProxy(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return []
  const value = raw.trim().toLowerCase()
  if (value === '1' || value === 'true' || value === '*') {
    throw new ConfigError(
      `TRUST_PROXY=${raw} would believe X-Forwarded-For from any client. ` +
        'List the addresses or CIDR ranges of your proxies instead, e.g. TRUST_PROXY=10.0.0.5 ' +
        'or TRUST_PROXY=10.0.0.0/8,127.0.0.1 (or "loopback" for a proxy on the same machine).',
    )
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .map((e) => (RANGE_NAMES.has(e.toLowerCase()) ? e.toLowerCase() : e))
  for (const entry of entries) {
    if (!isAddressOrRange(entry)) {
      throw new ConfigError(
        `TRUST_PROXY must list proxy addresses or CIDR ranges separated by commas; "${entry}" is not one (e.g. TRUST_PROXY=10.0.0.5,10.0.1.0/24).`,
      )
    }
  }
  return entries
}

function isAddressOrRange(entry: string): boolean {
  if (RANGE_NAMES.has(entry.toLowerCase())) return true
  const [address = '', prefix, ...rest] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || rest.length > 0) return false
  if (prefix === undefined) return true
  if (!/^\d{1,3}$/.test(prefix)) return false
  return Number(prefix) <= (family === 4 ? 32 : 128)
}
