import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertProperty } from '../property/run'
import { ALEX, DANA, startTestServer, type TestServer } from './helpers'

/**
 * A JSON list where a route takes an object. valibot reads an array as an object with no keys,
 * so `[]` passed every schema whose fields are all optional: a sign-out sent `[]` signed out, and
 * an office PATCH sent `[]` was told it "must change at least one field". Every route of the
 * table that reads a JSON body, any list, either role: 400 "The body must be a JSON object." (a
 * technician on an office route: 403, the role is checked first), and the session that sent it
 * still works (nothing was done).
 */
let server: TestServer
let cookies: Record<'dana' | 'alex', string>
beforeAll(async () => {
  server = await startTestServer()
  cookies = { dana: await server.signIn(DANA), alex: await server.signIn(ALEX) }
})
afterAll(() => server.close())

const SOME_ID = '0190a6a4-7c1e-7000-8000-0000000000ff'

// A property of many requests: well past the 20 s default when other test files share the CPU.
const TIMEOUT = 180_000

describe('a JSON list as the body', () => {
  it(
    'is refused 400 on every route that reads a JSON body, and does nothing',
    async () => {
      const routes = server.app.routeList.filter(
        (r) =>
          r.url.startsWith('/api/') &&
          ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) &&
          // Raw bytes, not JSON (checked by its hash and first bytes; files.test.ts).
          !r.url.startsWith('/api/attachments/'),
      )
      expect(routes.length).toBeGreaterThan(8)
      const routeArb = fc.constantFrom(...routes)
      // Real ids too, so a list is never refused only for naming nothing.
      const job = await server.db.kysely.selectFrom('jobs').select('id').executeTakeFirstOrThrow()
      const user = await server.userId(ALEX)
      await assertProperty(
        'a JSON list is refused',
        fc.record({
          route: routeArb,
          id: fc.constantFrom(SOME_ID, job.id, user),
          who: fc.constantFrom('dana' as const, 'alex' as const),
          list: fc.oneof(
            fc.constant([]),
            fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
          ),
        }),
        async ({ route, id, who, list }) => {
          const res = await server.request(cookies[who], {
            method: route.method as 'POST',
            url: route.url.replace(':id', id),
            payload: JSON.stringify(list),
            headers: { 'content-type': 'application/json' },
          })
          // The office's routes check the role before they read the body.
          const forbidden = who === 'alex' && route.url.startsWith('/api/dispatch/')
          expect({ route: `${route.method} ${route.url}`, who, answer: res.json() }).toEqual({
            route: `${route.method} ${route.url}`,
            who,
            answer: forbidden
              ? { error: 'forbidden', message: expect.any(String) }
              : { error: 'invalid_request', message: 'The body must be a JSON object.' },
          })
          expect(res.statusCode).toBe(forbidden ? 403 : 400)
          const me = await server.request(cookies[who], { method: 'GET', url: '/api/auth/me' })
          expect(me.statusCode).toBe(200)
        },
        150,
      )
    },
    TIMEOUT,
  )
})
