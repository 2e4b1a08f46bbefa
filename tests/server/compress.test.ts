import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseEncoding, MIN_COMPRESS_BYTES } from '../../server/http/compress'
import { ALEX, startTestServer, type TestServer } from './helpers'

/** JSON answers on the wire: compressed when the client accepts it, the same JSON either way. */

let server: TestServer
let alex: string

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
})
afterAll(() => server.close())

const pull = (acceptEncoding?: string) =>
  server.request(alex, {
    method: 'GET',
    url: '/api/sync/pull',
    headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding },
  })

describe('API answers on the wire', () => {
  it('a pull goes as brotli, else gzip, and decodes to the very JSON sent without', async () => {
    const plain = await pull()
    expect(plain.statusCode).toBe(200)
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.headers.vary).toMatch(/accept-encoding/i)
    expect(plain.rawPayload.length).toBeGreaterThan(MIN_COMPRESS_BYTES)
    // The pull's rows carry their revision; nothing changes between these requests.
    const expected = plain.json()

    const br = await pull('gzip, deflate, br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3)
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length)
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(expected)

    const gz = await pull('gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(expected)

    for (const refused of ['identity', 'br;q=0, gzip;q=0', '*;q=0', 'zstd']) {
      const res = await pull(refused)
      expect({ refused, encoding: res.headers['content-encoding'] }).toEqual({
        refused,
        encoding: undefined,
      })
      expect(res.json()).toEqual(expected)
    }
  })

  it('leaves small answers, sign-in answers (they carry a token) and errors under the size as they are', async () => {
    const health = await server.request(null, {
      method: 'GET',
      url: '/api/health',
      headers: { 'accept-encoding': 'br' },
    })
    expect(health.statusCode).toBe(200)
    expect(health.headers['content-encoding']).toBeUndefined()

    const signin = await server.app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      headers: { 'accept-encoding': 'br, gzip' },
      payload: { email: ALEX, password: 'fieldline' },
    })
    expect(signin.statusCode).toBe(200)
    expect(signin.headers['content-encoding']).toBeUndefined()
    expect(signin.json()).toHaveProperty('user')

    const refused = await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      headers: { 'accept-encoding': 'br' },
      payload: { deviceId: 'not-a-uuid', mutations: [] },
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.headers['content-encoding']).toBeUndefined()
    expect(refused.json()).toHaveProperty('message')
  })
})

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honours q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br, zstd')).toBe('br')
    expect(chooseEncoding('GZIP')).toBe('gzip')
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip')
    expect(chooseEncoding('*')).toBe('br')
    expect(chooseEncoding('*, br;q=0')).toBe('gzip')
    expect(chooseEncoding('deflate')).toBeNull()
    expect(chooseEncoding(undefined)).toBeNull()
    expect(chooseEncoding(['gzip', 'br;q=0'])).toBe('gzip')
  })

  it('answers one of br, gzip or none for any header a client can send, without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined)), (h) => {
        expect([null, 'br', 'gzip']).toContain(chooseEncoding(h))
      }),
    )
  })
})
