import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PullResponse } from '../../protocol/sync'
import { PAGE_BYTES } from '../../server/sync/pullPage'
import { ALEX, mutation, pushAs, richJob, startTestServer, type TestServer } from './helpers'

let server: TestServer
let alex: string

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
})
afterAll(() => server.close())

/** A signature as big as the schema lets it be (500 KB of base64). */
const BIG = `data:image/png;base64,${'A'.repeat(499_976)}`

describe("a pull page's byte budget", () => {
  it('holds for heavy rows: 30 signatures of 500 KB come over several pages of about 4 MB, each once', async () => {
    const job = await richJob(server)
    const ids: string[] = []
    for (let seq = 1; seq <= 30; seq++) {
      const id = randomUUID()
      ids.push(id)
      const res = await pushAs(server, alex, randomUUID(), [
        mutation(
          'signature.add',
          {
            id,
            jobId: job.id,
            subjectType: 'job',
            subjectId: job.id,
            signerName: `Signer ${seq}`,
            signedAt: new Date().toISOString(),
            image: BIG,
          },
          1,
        ),
      ])
      expect(res.json().results[0].status).toBe('applied')
    }
    const seen: string[] = []
    const sizes: number[] = []
    let cursor: string | undefined
    for (let n = 0; n < 100; n++) {
      const url = cursor ? `/api/sync/pull?cursor=${encodeURIComponent(cursor)}` : '/api/sync/pull'
      const res = await server.request(alex, { method: 'GET', url })
      expect(res.statusCode).toBe(200)
      sizes.push(res.body.length)
      const body = res.json() as PullResponse
      seen.push(...body.changes.signatures.map((s) => s.id))
      if (!body.more) break
      cursor = body.cursor
    }
    // Over the budget by one row at most (it always takes one, so a pull moves on); a query of
    // 100 heavy rows made one page of ~15 MB here before.
    for (const size of sizes) expect(size).toBeLessThan(PAGE_BYTES + 600_000)
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort())
    expect(new Set(seen).size).toBe(seen.length)
  })
})
