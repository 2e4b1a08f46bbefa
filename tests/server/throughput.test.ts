import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, jobOf, noteAdd, startTestServer, type TestServer } from './helpers'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/**
 * A rough throughput check through the whole HTTP stack (inject, JSON, validation, one
 * transaction per batch). The target is ≥ 5,000 mutations/s on SQLite; the assertion is looser
 * so a slow CI machine does not fail it, and the measured figure is printed.
 */
describe('push throughput', () => {
  it('applies batches of 200 notes quickly', async () => {
    const cookie = await server.signIn(ALEX)
    const job = await jobOf(server, ALEX)
    const device = randomUUID()
    const batches = 25
    const size = 200
    let seq = 0
    const bodies = Array.from({ length: batches }, () => ({
      deviceId: device,
      mutations: Array.from({ length: size }, () => noteAdd(job.id, ++seq)),
    }))

    const started = performance.now()
    for (const payload of bodies) {
      const res = await server.request(cookie, { method: 'POST', url: '/api/sync/push', payload })
      expect(res.statusCode).toBe(200)
    }
    const seconds = (performance.now() - started) / 1000
    const rate = Math.round((batches * size) / seconds)
    console.log(`push: ${batches * size} mutations in ${seconds.toFixed(2)} s = ${rate}/s`)
    expect(rate).toBeGreaterThan(1000)

    const started2 = performance.now()
    const res = await server.request(cookie, { method: 'GET', url: '/api/sync/pull' })
    const body = res.json()
    const count = Object.values(body.changes as Record<string, unknown[]>).reduce(
      (n, rows) => n + rows.length,
      0,
    )
    console.log(`pull: ${count} entities in ${(performance.now() - started2).toFixed(0)} ms`)
  })
})
