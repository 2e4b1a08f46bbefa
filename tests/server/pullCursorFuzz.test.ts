import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENTITY_TABLES } from '../../protocol/entities'
import { decodeCursor, encodeStream, type Stream } from '../../server/sync/cursor'
import { ALEX, DANA, startTestServer, type TestServer } from './helpers'

let server: TestServer
let alex: string
let dana: string

beforeAll(async () => {
  server = await startTestServer({ pullPageRows: 25 })
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

// Every number a stream cursor may hold (it allows 15 digits), weighted to the edges of the
// stores' integer columns: revisions are 32-bit on PostgreSQL, counts and times are not.
const count = fc.oneof(
  fc.nat(50),
  fc.constantFrom(2 ** 31 - 1, 2 ** 31, 2 ** 32, 999_999_999_999_999),
  fc.integer({ min: 0, max: 999_999_999_999_999 }),
)
const key = fc.oneof(
  fc.uuid(),
  fc.stringMatching(/^[0-9A-Za-z-]{1,64}$/),
  fc.constantFrom('0', 'zzzz', '-'),
)
const position: fc.Arbitrary<Stream['at']> = fc.oneof(
  fc.record({
    phase: fc.constant('removals' as const),
    after: fc.option(fc.tuple(count, fc.constantFrom(...ENTITY_TABLES), key)),
  }),
  fc.record({ phase: fc.constant('labels' as const), after: fc.option(key) }),
  fc.record({
    phase: fc.constant('jobs' as const),
    after: fc.option(key),
    group: fc.option(
      fc.record({
        last: key,
        table: fc.nat(20),
        key: fc.option(fc.array(key, { minLength: 1, maxLength: 2 })),
      }),
    ),
  }),
)

describe('page cursors a client made up', () => {
  it('any cursor the schema lets through gets a page or a 400, never a 5xx (technician and office)', async () => {
    const first = await server.request(alex, { method: 'GET', url: '/api/sync/pull' })
    const real = decodeCursor(first.json().cursor) as Stream
    const small = (n: number) => fc.constantFrom(n, 0, Math.max(0, n - 1))
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          since: fc.option(fc.record({ rev: fc.oneof(small(real.rev), count), windowTo: count })),
          // Mostly the real revision and window, so the cursor gets past the first checks.
          rev: fc.oneof(small(real.rev), count),
          windowTo: fc.oneof(fc.constant(real.windowTo), count),
          total: fc.option(count),
          at: position,
        }),
        fc.boolean(),
        async (stream, asOffice) => {
          const cursor = encodeStream(stream)
          expect(decodeCursor(cursor)).not.toBeNull()
          const res = await server.request(asOffice ? dana : alex, {
            method: 'GET',
            url: `/api/sync/pull?cursor=${encodeURIComponent(cursor)}`,
          })
          expect([200, 400], `${res.statusCode} ${res.body.slice(0, 200)}`).toContain(
            res.statusCode,
          )
        },
      ),
      { numRuns: 150 },
    )
  })
})
