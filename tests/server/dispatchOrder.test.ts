import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, DANA, mutation, pushAs, richJob, startTestServer, type TestServer } from './helpers'

let server: TestServer
let alex: string
let dana: string
let job: { id: string; number: number }

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  job = await richJob(server)
})
afterAll(() => server.close())

describe("the office's job detail", () => {
  it('lists documents made at the same moment in one order, by id, on every store', async () => {
    // A probe found ties listed in another order on SQLite than on PostgreSQL.
    const createdAt = '2026-01-02T03:04:05.000Z'
    const ids = Array.from({ length: 8 }, () => randomUUID())
    const line = { id: randomUUID(), description: 'Labor', quantity: 1, unitPriceCents: 100 }
    const res = await pushAs(
      server,
      alex,
      randomUUID(),
      ids.map((id, i) =>
        mutation(
          'estimate.create',
          { id, jobId: job.id, number: `T-${i}`, lineItems: [line], taxRateBps: 0, createdAt },
          i + 1,
        ),
      ),
    )
    expect(res.statusCode).toBe(200)
    const detail = await server.request(dana, {
      method: 'GET',
      url: `/api/dispatch/jobs/${job.id}`,
    })
    const listed = (detail.json().estimates as Array<{ id: string; createdAt: string }>)
      .filter((e) => e.createdAt === createdAt)
      .map((e) => e.id)
    expect(listed).toEqual([...ids].sort())
  })
})
