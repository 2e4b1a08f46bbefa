import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app'
import { MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP } from '../../server/auth/rateLimit'
import { readConfig } from '../../server/config'
import { connect } from '../../server/db/connect'
import { parseTrustProxy } from '../../server/http/trustProxy'
import { startTestServer, TEST_STORE, type TestServer } from './helpers'

/**
 * The sign-in limiter under bursts sent all at once (it reserves a slot before hashing), and the
 * address it counts: X-Forwarded-For is believed only from a proxy listed in TRUST_PROXY.
 */

const PROXY = '10.0.0.1'
let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ trustProxy: [PROXY] })
})
afterAll(() => server.close())

function signIn(
  email: string,
  password: string,
  from: { peer: string; forwardedFor?: string },
): Promise<LightMyRequestResponse> {
  return server.app.inject({
    method: 'POST',
    url: '/api/auth/signin',
    remoteAddress: from.peer,
    headers: from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {},
    payload: { email, password },
  })
}

function tally(answers: LightMyRequestResponse[]): Record<number, number> {
  const out: Record<number, number> = {}
  for (const a of answers) out[a.statusCode] = (out[a.statusCode] ?? 0) + 1
  return out
}

function expectLimited(answers: LightMyRequestResponse[], max: number): void {
  const counts = tally(answers)
  // Never a 5xx, never anything but "wrong" or "wait".
  expect(Object.keys(counts).sort()).toEqual(['401', '429'])
  // Exactly: the reservations take turns per key, so a burst neither slips past the limit nor
  // refuses more than it must.
  expect(counts[401]).toBe(max)
  for (const a of answers.filter((x) => x.statusCode === 429)) {
    expect(a.json()).toEqual({
      error: 'too_many_attempts',
      message: expect.stringMatching(/^Too many failed sign-ins\. Try again in \d+ minutes?\.$/),
    })
    expect(Number(a.headers['retry-after'])).toBeGreaterThan(0)
  }
}

describe('a burst of wrong passwords sent at once', () => {
  it(`answers at most ${MAX_FAILURES_PER_EMAIL} of 25 for one email with 401, the rest 429`, async () => {
    const email = 'burst@fieldline.test'
    const answers = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        // Each from its own address (through the proxy): only the email limit applies.
        signIn(email, `wrong-${i}`, { peer: PROXY, forwardedFor: `198.51.100.${i + 1}` }),
      ),
    )
    expectLimited(answers, MAX_FAILURES_PER_EMAIL)
    // What is left counted is what was let through: refused attempts gave their slot back.
    const rows = await server.db.kysely
      .selectFrom('signin_failures')
      .select('id')
      .where('key', '=', `email:${email}`)
      .execute()
    expect(rows.length).toBe(tally(answers)[401])
    // And the right password is now refused too, before it is checked.
    const after = await signIn(email, 'fieldline', { peer: PROXY, forwardedFor: '198.51.100.99' })
    expect(after.statusCode).toBe(429)
  })

  it.runIf(TEST_STORE === 'postgres')(
    'limits a burst split between two API instances on one PostgreSQL',
    async () => {
      const second = connect({ url: server.url })
      const other = await buildApp({ db: second, blobs: server.blobs, trustProxy: [PROXY] })
      try {
        const email = 'two-instances@fieldline.test'
        const answers = await Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            (i % 2 ? other : server.app).inject({
              method: 'POST',
              url: '/api/auth/signin',
              remoteAddress: PROXY,
              headers: { 'x-forwarded-for': `198.18.0.${i + 1}` },
              payload: { email, password: 'wrong' },
            }),
          ),
        )
        expectLimited(answers, MAX_FAILURES_PER_EMAIL)
      } finally {
        await other.close()
        await second.close()
      }
    },
  )

  it(`answers at most ${MAX_FAILURES_PER_IP} of 45 from one address with 401, the rest 429`, async () => {
    const answers = await Promise.all(
      Array.from({ length: 45 }, (_, i) =>
        signIn(`nobody${i}@burst.test`, 'wrong', { peer: PROXY, forwardedFor: '192.0.2.77' }),
      ),
    )
    expectLimited(answers, MAX_FAILURES_PER_IP)
  })
})

describe('the address the limiter counts', () => {
  it('ignores X-Forwarded-For from a peer that is not a listed proxy', async () => {
    const peer = '203.0.113.50'
    // A client talking to the server directly invents a new address for every attempt.
    const answers: LightMyRequestResponse[] = []
    for (let i = 0; i < MAX_FAILURES_PER_IP + 1; i++) {
      answers.push(
        await signIn(`spoof${i}@fieldline.test`, 'wrong', {
          peer,
          forwardedFor: `100.64.${i}.1`,
        }),
      )
    }
    expect(answers.slice(0, MAX_FAILURES_PER_IP).every((a) => a.statusCode === 401)).toBe(true)
    expect(answers[MAX_FAILURES_PER_IP]?.statusCode).toBe(429)
    const keys = await server.db.kysely
      .selectFrom('signin_failures')
      .select('key')
      .where('key', 'like', 'ip:%')
      .execute()
    expect(keys.map((k) => k.key)).toContain(`ip:${peer}`)
    expect(keys.some((k) => k.key.startsWith('ip:100.64.'))).toBe(false)
  })

  it('believes X-Forwarded-For from a listed proxy (the client address, not the proxy)', async () => {
    const res = await signIn('believed@fieldline.test', 'wrong', {
      peer: PROXY,
      // A client may prepend anything; the proxy appends the address it saw, the last entry.
      forwardedFor: '1.2.3.4, 198.51.100.200',
    })
    expect(res.statusCode).toBe(401)
    const keys = await server.db.kysely
      .selectFrom('signin_failures')
      .select('key')
      .where('key', 'in', ['ip:198.51.100.200', 'ip:1.2.3.4', `ip:${PROXY}`])
      .execute()
    expect(keys.map((k) => k.key)).toEqual(['ip:198.51.100.200'])
  })
})

describe('IPv6 clients', () => {
  const failures = async (key: string) =>
    (
      await server.db.kysely
        .selectFrom('signin_failures')
        .select('id')
        .where('key', '=', key)
        .execute()
    ).length

  it('share one limit per /64, however they spell or rotate their address', async () => {
    // One subscriber's /64: every attempt from a new address in it, in every spelling.
    const spellings = (i: number) =>
      [
        `2001:db8:7:7::${(i + 1).toString(16)}`,
        `2001:0DB8:0007:0007:${i.toString(16)}:0:0:1`,
        `2001:db8:7:7:${i.toString(16)}:ab:cd:ef%eth0`,
      ][i % 3] as string
    const answers: LightMyRequestResponse[] = []
    for (let i = 0; i < MAX_FAILURES_PER_IP + 1; i++) {
      answers.push(await signIn(`rotate${i}@fieldline.test`, 'wrong', { peer: spellings(i) }))
    }
    expect(answers.slice(0, MAX_FAILURES_PER_IP).map((a) => a.statusCode)).toEqual(
      Array(MAX_FAILURES_PER_IP).fill(401),
    )
    expect(answers[MAX_FAILURES_PER_IP]?.statusCode).toBe(429)
    expect(await failures('ip:2001:db8:7:7::/64')).toBe(MAX_FAILURES_PER_IP)
    // The next /64 is someone else's: its own limit.
    const next = await signIn('neighbour@fieldline.test', 'wrong', { peer: '2001:db8:7:8::1' })
    expect(next.statusCode).toBe(401)
  })

  it('counts an IPv4 client seen through a dual-stack socket as its IPv4 address', async () => {
    const res = await signIn('mapped@fieldline.test', 'wrong', { peer: '::ffff:192.0.2.201' })
    expect(res.statusCode).toBe(401)
    expect(await failures('ip:192.0.2.201')).toBe(1)
    const ipv4 = await signIn('mapped2@fieldline.test', 'wrong', { peer: '192.0.2.201' })
    expect(ipv4.statusCode).toBe(401)
    expect(await failures('ip:192.0.2.201')).toBe(2)
  })
})

describe('TRUST_PROXY', () => {
  it('takes a comma-separated list of addresses and CIDR ranges', () => {
    expect(parseTrustProxy(undefined)).toEqual([])
    expect(parseTrustProxy('')).toEqual([])
    expect(parseTrustProxy('10.0.0.5, 10.0.1.0/24,::1,fd00::/8, Loopback')).toEqual([
      '10.0.0.5',
      '10.0.1.0/24',
      '::1',
      'fd00::/8',
      'loopback',
    ])
    expect(readConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy).toEqual(['127.0.0.1'])
  })

  it.each(['1', 'true', 'TRUE', '*'])(
    'refuses %s at start-up, saying to list the proxies',
    (raw) => {
      expect(() => readConfig({ TRUST_PROXY: raw })).toThrow(
        /would believe X-Forwarded-For from any client\. List the addresses or CIDR ranges of your proxies/,
      )
    },
  )

  it.each(['proxy.local', '10.0.0.0/33', '10.0.0.1/', '10.0.0.1/8/8', 'false', '10.0.0.1,,'])(
    'refuses %s as not an address or range',
    (raw) => {
      expect(() => parseTrustProxy(raw)).toThrow(/TRUST_PROXY must list proxy addresses/)
    },
  )
})
