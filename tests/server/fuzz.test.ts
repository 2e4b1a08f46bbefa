import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, DANA, injectAnswer, startTestServer, type TestServer } from './helpers'

/**
 * Fuzz: malformed JSON, wrong types, huge strings, deep nesting, prototype-pollution keys, random
 * bytes and wrong content types, sent to EVERY API route (from the app's route table) with a
 * dispatcher's session (so role checks pass and the input reaches validation) and with a
 * technician's. Every answer must be < 500, a refusal must be an ApiError {error, message}, a
 * body sent to a POST/PUT/PATCH/DELETE route must be refused, and the server must keep serving.
 *
 * Seeded: FUZZ_SEED=<n> reproduces a run; the seed is in the test name.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_f1e1)

/** mulberry32: small, fast, good enough to pick cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let server: TestServer
let dana: string
let alex: string
beforeAll(async () => {
  server = await startTestServer()
  dana = await server.signIn(DANA)
  alex = await server.signIn(ALEX)
})
afterAll(() => server.close())

const FIELDS = [
  'email',
  'password',
  'deviceId',
  'mutations',
  'title',
  'status',
  'technicianId',
  'jobId',
  'startsAt',
  'endsAt',
  'lineItems',
  'taxRateBps',
  'answers',
  'cursor',
  'id',
  'args',
]

interface Body {
  label: string
  payload: string | Buffer
  contentType?: string
}

function bodies(rand: () => number): Body[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => rand() * 256))
  const wrongValue = () =>
    pick([
      null,
      -1,
      1e308,
      0.5,
      true,
      '',
      'x'.repeat(5000),
      [],
      [null],
      {},
      { $gt: '' },
      '2026-13-45T99:99:99Z',
      '00000000-0000-0000-0000-000000000000',
      '<img src=x onerror=alert(1)>',
      "' OR 1=1 --",
      '\u0000\ud800',
    ])
  const wrongTypes = (): Record<string, unknown> => {
    const o: Record<string, unknown> = {}
    const n = 1 + Math.floor(rand() * 4)
    for (let i = 0; i < n; i++) o[pick(FIELDS)] = wrongValue()
    return o
  }
  const deepArrays = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
  const deepObjects = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`
  const json = (label: string, value: unknown): Body => ({
    label,
    payload: typeof value === 'string' ? value : JSON.stringify(value),
    contentType: 'application/json',
  })
  const list: Body[] = [
    json('truncated JSON', '{"email": '),
    json('trailing garbage', '{"a":1}}'),
    json('bare word', 'nul'),
    json('control characters', '{"a":"\u0001\u0002"'),
    json('empty body', ''),
    json('null', 'null'),
    json('number', '42'),
    json('string', '"hello"'),
    json('array', '[1,2,3]'),
    json('wrong types', wrongTypes()),
    json('wrong types', wrongTypes()),
    json('wrong types', wrongTypes()),
    json('huge string (100 KB)', { [pick(FIELDS)]: 'x'.repeat(100_000) }),
    json('over the body limit (3 MB)', { title: 'x'.repeat(3 * 1024 * 1024) }),
    json('10,000 nested arrays', deepArrays),
    json('10,000 nested objects', deepObjects),
    json('mutations nested 10,000 deep', `{"deviceId":"x","mutations":${deepArrays}}`),
    json('__proto__', '{"__proto__":{"polluted":true}}'),
    json('constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'),
    json(
      '__proto__ inside args',
      '{"deviceId":"0190a6a4-7c1e-7000-8000-000000000001","mutations":[{"id":"0190a6a4-7c1e-7000-8000-000000000002","seq":1,"name":"note.add","at":"2026-01-01T00:00:00.000Z","args":{"__proto__":{"polluted":true}}}]}',
    ),
    {
      label: 'random bytes as JSON',
      payload: randomBytes(64 + Math.floor(rand() * 512)),
      contentType: 'application/json',
    },
    {
      label: 'random bytes, octet-stream',
      payload: randomBytes(256),
      contentType: 'application/octet-stream',
    },
    { label: 'text/plain', payload: '{"email":"a@b.c"}', contentType: 'text/plain' },
    {
      label: 'form-urlencoded',
      payload: 'email=a%40b.c&password=x',
      contentType: 'application/x-www-form-urlencoded',
    },
    {
      label: 'multipart',
      payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
      contentType: 'multipart/form-data; boundary=x',
    },
    { label: 'no content type', payload: randomBytes(32) },
    {
      label: 'HTML as a JPEG',
      payload: '<html><script>alert(1)</script></html>',
      contentType: 'image/jpeg',
    },
  ]
  return list
}

/** Path parameters that are not ids. */
const BAD_IDS = [
  'not-a-uuid',
  '..%2f..%2fetc%2fpasswd',
  '%00',
  '%E0%A4%A',
  'x'.repeat(500),
  '00000000-0000-0000-0000-000000000000',
  '__proto__',
  "1'%20OR%20'1'='1",
]
const BAD_QUERIES = [
  `?cursor=${'x'.repeat(5000)}`,
  '?cursor=%00%01',
  '?cursor[]=1&cursor[]=2',
  '?__proto__[polluted]=1',
  '?constructor[prototype][polluted]=1',
  '?technicianId=not-a-uuid',
  '?unknown=1',
  '?%E0%A4%A=1',
]

const GOOD_ID = '0190a6a4-7c1e-7000-8000-0000000000ff'

describe(`fuzz (seed ${SEED})`, () => {
  it('every route answers bad input with a 4xx and a reason, never a 5xx', async () => {
    const rand = prng(SEED)
    // Sign-out last: it ends the session the other routes are fuzzed with.
    const routes = server.app.routeList
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD')
      .sort((a, b) => Number(a.url === '/api/auth/signout') - Number(b.url === '/api/auth/signout'))
    expect(routes.length).toBeGreaterThan(10)
    const failures: string[] = []
    let sent = 0

    async function check(what: string, opts: InjectOptions, mustRefuse: boolean) {
      const res = await injectAnswer(server.app, opts)
      sent++
      if (process.env.FUZZ_LOG) console.log(res.statusCode, what, res.body.slice(0, 120))
      const problem =
        res.statusCode >= 500
          ? `answered ${res.statusCode}`
          : mustRefuse && res.statusCode < 400
            ? `accepted it (${res.statusCode})`
            : null
      if (problem) failures.push(`${what}: ${problem} ${res.body.slice(0, 200)}`)
      if (res.statusCode >= 400) {
        let body: unknown
        try {
          body = res.json()
        } catch {
          body = res.body.slice(0, 100)
        }
        const ok =
          typeof body === 'object' &&
          body !== null &&
          typeof (body as { error?: unknown }).error === 'string' &&
          typeof (body as { message?: unknown }).message === 'string'
        if (!ok)
          failures.push(
            `${what}: ${res.statusCode} without an ApiError: ${String(res.body).slice(0, 200)}`,
          )
      }
    }

    for (const route of routes) {
      const url = route.url.replace(':id', GOOD_ID)
      const hasBody = route.method !== 'GET'
      for (const cookie of [dana, alex]) {
        if (hasBody) {
          for (const body of bodies(rand)) {
            await check(
              `${route.method} ${route.url} ← ${body.label}`,
              {
                method: route.method as InjectOptions['method'],
                url,
                payload: body.payload,
                headers: {
                  cookie,
                  ...(body.contentType ? { 'content-type': body.contentType } : {}),
                },
              },
              true,
            )
          }
        }
        for (const query of BAD_QUERIES) {
          await check(
            `${route.method} ${route.url}${query.slice(0, 40)}`,
            {
              method: route.method as InjectOptions['method'],
              url: url + query,
              headers: { cookie },
            },
            false,
          )
        }
        if (route.url.includes(':id')) {
          for (const id of BAD_IDS) {
            await check(
              `${route.method} ${route.url} with id ${id.slice(0, 40)}`,
              {
                method: route.method as InjectOptions['method'],
                url: route.url.replace(':id', id),
                headers: { cookie, 'content-type': 'application/json' },
                ...(hasBody ? { payload: '{}' } : {}),
              },
              true,
            )
          }
        }
      }
    }

    expect(failures).toEqual([])
    expect(sent).toBeGreaterThan(500)
    // Nothing leaked into prototypes, and the server still serves.
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    const health = await server.app.inject({ method: 'GET', url: '/api/health' })
    expect(health.statusCode).toBe(200)
    const jobs = await server.request(await server.signIn(DANA), {
      method: 'GET',
      url: '/api/dispatch/jobs',
    })
    expect(jobs.statusCode).toBe(200)
  }, 60_000)
})
