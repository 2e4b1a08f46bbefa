import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { PushResponse } from '../../protocol/sync'
import { MAX_SIGNATURES_PER_JOB } from '../../server/mutations/signatureAdd'
import {
  ALEX,
  mutation,
  noteAdd,
  pushAs,
  richJob,
  startTestServer,
  type TestServer,
} from './helpers'

let server: TestServer
let alex: string
beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
})
afterAll(() => server.close())

function signatures(jobId: string, count: number, firstSeq: number): Mutation[] {
  return Array.from({ length: count }, (_, i) =>
    mutation(
      'signature.add',
      {
        id: randomUUID(),
        jobId,
        subjectType: 'job',
        subjectId: jobId,
        signerName: `Signer ${firstSeq + i}`,
        signedAt: new Date().toISOString(),
        image: 'data:image/png;base64,iVBORw0KGgo=',
      },
      firstSeq + i,
    ),
  )
}

describe("a job's signatures", () => {
  it(`stop at ${MAX_SIGNATURES_PER_JOB}: the next is refused on its own, with a sentence, and the actions behind it go on`, async () => {
    const job = await richJob(server)
    const held = await server.db.kysely
      .selectFrom('signatures')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow()
    const room = MAX_SIGNATURES_PER_JOB - Number(held.n)
    const device = randomUUID()
    const first = await pushAs(server, alex, device, signatures(job.id, room, 1))
    expect((first.json() as PushResponse).results.every((r) => r.status === 'applied')).toBe(true)

    const over = signatures(job.id, 1, room + 1)
    const res = await pushAs(server, alex, device, [...over, noteAdd(job.id, room + 2, 'After it')])
    const [refused, note] = (res.json() as PushResponse).results
    expect(refused).toMatchObject({ status: 'rejected', code: 'limit_reached' })
    expect(refused?.reason).toBe(
      `Job #${job.number} already has ${MAX_SIGNATURES_PER_JOB} signatures, the most a job can hold.`,
    )
    expect(note?.status).toBe('applied')
    // Sent again (Retry): the same answer, and still one signature short of one more.
    const again = await pushAs(server, alex, device, over)
    expect((again.json() as PushResponse).results[0]).toMatchObject({ code: 'limit_reached' })
  })
})
