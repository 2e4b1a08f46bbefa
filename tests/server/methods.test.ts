import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DANA, startTestServer, type TestServer } from './helpers'

/**
 * A bad client's wrong method on a real API path (PUT to /api/sync/push, GET of the sign-in) is
 * told which methods the path takes: 405 with Allow, not a 404 that says the route does not exist.
 * Every path of the route table, every method it does not take.
 */
let server: TestServer
let dana: string
beforeAll(async () => {
  server = await startTestServer()
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const
const SOME_ID = '0190a6a4-7c1e-7000-8000-0000000000ff'

describe('a method an API path does not take', () => {
  it('is 405 with Allow naming the methods it takes, on every path of the route table', async () => {
    const api = server.app.routeList.filter((r) => r.url.startsWith('/api/'))
    const paths = [...new Set(api.map((r) => r.url))]
    let checked = 0
    for (const path of paths) {
      const taken = [...new Set(api.filter((r) => r.url === path).map((r) => r.method))].sort()
      const url = `${path.replaceAll(':id', SOME_ID)}?x=1`
      for (const method of METHODS.filter((m) => !taken.includes(m))) {
        const res = await server.request(dana, { method, url })
        expect({ method, url, status: res.statusCode }).toEqual({ method, url, status: 405 })
        expect(res.headers.allow).toBe(taken.join(', '))
        if (method !== 'HEAD') {
          expect(res.json()).toEqual({
            error: 'method_not_allowed',
            message: `${method} is not a method of ${url.split('?')[0]}; it takes ${taken.join(', ')}.`,
          })
        }
        checked++
      }
    }
    // Every path has some method it does not take (OPTIONS at least).
    expect(checked).toBeGreaterThanOrEqual(paths.length)
  })

  it('without a session: 405 at a path whose routes are all public, 401 at any other', async () => {
    const api = server.app.routeList.filter((r) => r.url.startsWith('/api/'))
    const paths = [...new Set(api.map((r) => r.url))]
    let publicChecked = 0
    for (const path of paths) {
      const routes = api.filter((r) => r.url === path)
      const open = routes.every((r) => r.public)
      const url = path.replaceAll(':id', SOME_ID)
      for (const method of METHODS.filter((m) => !routes.some((r) => r.method === m))) {
        const res = await server.request(null, { method, url })
        expect({ method, url, status: res.statusCode }).toEqual({
          method,
          url,
          status: open ? 405 : 401,
        })
        if (open) publicChecked++
      }
    }
    // The sign-in, sign-out, revoke, health and readiness paths.
    expect(publicChecked).toBeGreaterThanOrEqual(5)
  })

  it('leaves paths that do not exist a 404, and a known path with an extra segment too', async () => {
    for (const url of ['/api/no-such-route', '/api/sync', `/api/dispatch/jobs/${SOME_ID}/x/y`]) {
      const res = await server.request(dana, { method: 'PUT', url })
      expect({ url, status: res.statusCode, error: res.json().error }).toEqual({
        url,
        status: 404,
        error: 'not_found',
      })
    }
  })
})
