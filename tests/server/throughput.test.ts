import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, jobOf, noteAdd, startTestServer, type TestServer } from './helpers'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

/**
 * 5,000 mutations through the whole HTTP stack (inject, JSON, validation, one transaction per
 * batch): every one applied, and a pull then carries them all. The time is printed, not
 * asserted (the machine is noisy); `npm run bench` measures throughput properly.
 */
describe('push throughput', () => {
  it('applies 25 batches of 200 notes, each once', async () => {
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
      const statuses = new Set(res.json().results.map((r: { status: string }) => r.status))
      expect([...statuses]).toEqual(['applied'])
    }
    const seconds = (performance.now() - started) / 1000
    const rate = Math.round((batches * size) / seconds)
    // On PostgreSQL the test database has synchronous_commit=off (see stores.ts).
    console.log(
      `push (${server.store}): ${batches * size} mutations in ${seconds.toFixed(2)} s = ${rate}/s`,
    )

    // The pull comes in pages (at most 2,000 rows each): follow `more` to the end.
    const started2 = performance.now()
    let count = 0
    let notes = 0
    let pages = 0
    let cursor: string | null = null
    for (;;) {
      const url: string = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
      const body = (await server.request(cookie, { method: 'GET', url })).json()
      for (const rows of Object.values(body.changes as Record<string, unknown[]>)) {
        count += rows.length
      }
      notes += body.changes.notes.length
      pages++
      cursor = body.cursor
      if (!body.more) break
    }
    console.log(
      `pull: ${count} entities in ${pages} pages, ${(performance.now() - started2).toFixed(0)} ms`,
    )
    expect(pages).toBeGreaterThan(1)
    expect(notes).toBeGreaterThanOrEqual(batches * size)
  })
})
