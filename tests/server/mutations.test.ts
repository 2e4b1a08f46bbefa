import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LineItem } from '../../protocol/entities'
import type { Mutation } from '../../protocol/mutations'
import type { PushResponse } from '../../protocol/sync'
import { encodePng } from '../../server/db/seed/png'
import {
  ALEX,
  DANA,
  jobOf,
  mutation,
  pushAs,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

let server: TestServer
let alex: string
let dana: string
let job: { id: string; number: number }
let samJob: { id: string; number: number }
let seq = 0
const device = randomUUID()

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  job = await jobOf(server, ALEX)
  samJob = await jobOf(server, SAM)
})
afterAll(() => server.close())

const now = () => new Date().toISOString()
const line = (unitPriceCents: number, quantity = 1): LineItem => ({
  id: randomUUID(),
  description: 'Labor',
  quantity,
  unitPriceCents,
})

/** Pushes mutations built with increasing seqs; returns their results. */
async function run(...builders: Array<(seq: number) => Mutation>) {
  const res = await pushAs(
    server,
    alex,
    device,
    builders.map((b) => b(++seq)),
  )
  expect(res.statusCode).toBe(200)
  return (res.json() as PushResponse).results
}

async function detail(jobId: string) {
  const res = await server.request(dana, { method: 'GET', url: `/api/dispatch/jobs/${jobId}` })
  expect(res.statusCode).toBe(200)
  return res.json()
}

describe('mutations', () => {
  it('creates labels and applies them to a job, idempotently', async () => {
    const labelId = randomUUID()
    const results = await run(
      (s) => mutation('label.create', { id: labelId, name: 'Asbestos', color: '#AA3300' }, s),
      (s) => mutation('label.create', { id: labelId, name: 'Asbestos', color: '#aa3300' }, s),
      (s) => mutation('job.addLabel', { jobId: job.id, labelId }, s),
      (s) => mutation('job.addLabel', { jobId: job.id, labelId }, s),
    )
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
    let state = await detail(job.id)
    expect(state.job.labelIds.filter((id: string) => id === labelId)).toHaveLength(1)
    expect(state.labels).toContainEqual({ id: labelId, name: 'Asbestos', color: '#aa3300' })

    // The same id with another name or colour is refused, never "applied" for what is not stored.
    const reused = await run(
      (s) => mutation('label.create', { id: labelId, name: 'Lead paint', color: '#aa3300' }, s),
      (s) => mutation('label.create', { id: labelId, name: 'Asbestos', color: '#112233' }, s),
    )
    expect(reused.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'conflict'],
      ['rejected', 'conflict'],
    ])
    state = await detail(job.id)
    expect(state.labels).toContainEqual({ id: labelId, name: 'Asbestos', color: '#aa3300' })

    const unknown = await run((s) =>
      mutation('job.addLabel', { jobId: job.id, labelId: randomUUID() }, s),
    )
    expect(unknown[0]).toMatchObject({ status: 'rejected', code: 'not_found' })

    const removed = await run(
      (s) => mutation('job.removeLabel', { jobId: job.id, labelId }, s),
      (s) => mutation('job.removeLabel', { jobId: job.id, labelId }, s),
    )
    expect(removed.map((r) => r.status)).toEqual(['applied', 'applied'])
    state = await detail(job.id)
    expect(state.job.labelIds).not.toContain(labelId)

    const others = await run((s) => mutation('job.addLabel', { jobId: samJob.id, labelId }, s))
    expect(others[0]).toMatchObject({
      status: 'rejected',
      code: 'forbidden',
      reason: 'This job is no longer assigned to you.',
    })
  })

  it('creates estimates, invoices, payments and signatures', async () => {
    const estimateId = randomUUID()
    const invoiceId = randomUUID()
    const lines = [line(10_000, 1.5), line(2_500, 2)] // 150.00 + 50.00 = 200.00
    const results = await run(
      (s) =>
        mutation(
          'estimate.create',
          {
            id: estimateId,
            jobId: job.id,
            number: `E-${job.number}-9`,
            lineItems: lines,
            taxRateBps: 1000,
            createdAt: now(),
          },
          s,
        ),
      (s) =>
        mutation(
          'invoice.create',
          {
            id: invoiceId,
            jobId: job.id,
            number: `I-${job.number}-9`,
            lineItems: lines,
            taxRateBps: 1000,
            estimateId,
            createdAt: now(),
          },
          s,
        ),
      (s) =>
        mutation(
          'payment.add',
          {
            id: randomUUID(),
            invoiceId,
            method: 'cash',
            amountCents: 5_000,
            receivedAt: now(),
          },
          s,
        ),
      (s) =>
        mutation(
          'signature.add',
          {
            id: randomUUID(),
            jobId: job.id,
            subjectType: 'estimate',
            subjectId: estimateId,
            signerName: 'Pat Customer',
            signedAt: now(),
            image: 'data:image/png;base64,iVBORw0KGgo=',
          },
          s,
        ),
    )
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied'])
    let state = await detail(job.id)
    const invoice = state.invoices.find((i: { id: string }) => i.id === invoiceId)
    expect(invoice).toMatchObject({ status: 'draft', estimateId, balanceCents: 22_000 - 5_000 })
    expect(state.estimates.map((e: { id: string }) => e.id)).toContain(estimateId)
    expect(state.signatures.map((x: { subjectId: string }) => x.subjectId)).toContain(estimateId)

    // Over the balance: refused with both amounts.
    const over = await run((s) =>
      mutation(
        'payment.add',
        {
          id: randomUUID(),
          invoiceId,
          method: 'check',
          amountCents: 17_001,
          reference: '1234',
          receivedAt: now(),
        },
        s,
      ),
    )
    expect(over[0]).toMatchObject({
      status: 'rejected',
      code: 'invalid',
      reason: `Payment of $170.01 is more than the balance of $170.00 on invoice I-${job.number}-9.`,
    })
    // A check without its number fails the shared schema.
    const noNumber = await run((s) =>
      mutation(
        'payment.add',
        {
          id: randomUUID(),
          invoiceId,
          method: 'check',
          amountCents: 100,
          receivedAt: now(),
        },
        s,
      ),
    )
    expect(noNumber[0]).toMatchObject({
      status: 'rejected',
      code: 'invalid',
      reason: 'a check payment needs the check number',
    })
    // The rest of the balance pays the invoice.
    const rest = await run((s) =>
      mutation(
        'payment.add',
        {
          id: randomUUID(),
          invoiceId,
          method: 'check',
          amountCents: 17_000,
          reference: '1235',
          receivedAt: now(),
        },
        s,
      ),
    )
    expect(rest[0]?.status).toBe('applied')
    state = await detail(job.id)
    expect(state.invoices.find((i: { id: string }) => i.id === invoiceId)).toMatchObject({
      status: 'paid',
      balanceCents: 0,
      version: 2,
    })

    // A void invoice takes no payment.
    await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/invoices/${invoiceId}`,
      payload: { status: 'void' },
    })
    const onVoid = await run((s) =>
      mutation(
        'payment.add',
        {
          id: randomUUID(),
          invoiceId,
          method: 'cash',
          amountCents: 1,
          receivedAt: now(),
        },
        s,
      ),
    )
    expect(onVoid[0]).toMatchObject({ status: 'rejected', code: 'invalid' })
    expect(onVoid[0]?.reason).toContain('void')
  })

  it("refuses a signature on another job's estimate, and an invoice from another job's estimate", async () => {
    const samEstimate = await server.db.kysely
      .selectFrom('estimates')
      .select(['id', 'number'])
      .where('job_id', '!=', job.id)
      .executeTakeFirstOrThrow()
    const results = await run(
      (s) =>
        mutation(
          'signature.add',
          {
            id: randomUUID(),
            jobId: job.id,
            subjectType: 'estimate',
            subjectId: samEstimate.id,
            signerName: 'Someone',
            signedAt: now(),
            image: 'data:image/png;base64,iVBORw0KGgo=',
          },
          s,
        ),
      (s) =>
        mutation(
          'invoice.create',
          {
            id: randomUUID(),
            jobId: job.id,
            number: 'I-1',
            lineItems: [line(100)],
            taxRateBps: 0,
            estimateId: samEstimate.id,
            createdAt: now(),
          },
          s,
        ),
      (s) =>
        mutation(
          'signature.add',
          {
            id: randomUUID(),
            jobId: job.id,
            subjectType: 'job',
            subjectId: job.id,
            signerName: 'Pat Customer',
            signedAt: now(),
            image: 'data:image/png;base64,iVBORw0KGgo=',
          },
          s,
        ),
    )
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'applied'])
    // Answered as if it did not exist: neither its number nor that it is elsewhere.
    expect(results[0]).toMatchObject({
      code: 'not_found',
      reason: `This estimate is not on Job #${job.number}.`,
    })
    expect(results[1]).toMatchObject({
      code: 'not_found',
      reason: `The estimate of this invoice is not on Job #${job.number}.`,
    })
    for (const r of results) expect(r.reason ?? '').not.toContain(samEstimate.number)
  })

  it('refuses attachment.add before its file, and applies it once uploaded', async () => {
    const bytes = encodePng(4, 4, () => [10, 20, 30])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const id = randomUUID()
    const add = mutation(
      'attachment.add',
      {
        id,
        jobId: job.id,
        kind: 'photo',
        filename: 'meter.png',
        mimeType: 'image/png',
        size: bytes.length,
        sha256,
        takenAt: now(),
        thumbnail: 'data:image/png;base64,iVBORw0KGgo=',
      },
      ++seq,
    )
    const early = await pushAs(server, alex, device, [add])
    expect(early.json().results[0]).toMatchObject({
      status: 'rejected',
      code: 'file_missing',
      reason: 'The file has not finished uploading.',
    })
    const put = await server.request(alex, {
      method: 'PUT',
      url: `/api/attachments/${id}/file`,
      headers: { 'content-type': 'image/png', 'x-content-sha256': sha256 },
      payload: bytes,
    })
    expect(put.statusCode).toBe(201)
    const retry = await pushAs(server, alex, device, [add])
    expect(retry.json().results[0].status).toBe('applied')
    const state = await detail(job.id)
    expect(state.attachments).toContainEqual(
      expect.objectContaining({
        id,
        sha256,
        size: bytes.length,
        thumbnail: 'data:image/png;base64,iVBORw0KGgo=',
      }),
    )
  })

  it('creates an appointment on a job in scope only', async () => {
    const id = randomUUID()
    const startsAt = new Date(Date.now() + 3600_000)
    const endsAt = new Date(startsAt.getTime() + 3600_000)
    const results = await run(
      (s) =>
        mutation(
          'appointment.create',
          { id, jobId: job.id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
          s,
        ),
      (s) =>
        mutation(
          'appointment.create',
          {
            id: randomUUID(),
            jobId: samJob.id,
            startsAt: startsAt.toISOString(),
            endsAt: endsAt.toISOString(),
          },
          s,
        ),
    )
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected'])
    const state = await detail(job.id)
    expect(state.appointments).toContainEqual(
      expect.objectContaining({
        id,
        startsAt: startsAt.toISOString(),
        status: 'scheduled',
        version: 1,
      }),
    )
  })

  it('keeps a re-sent applied id a duplicate', async () => {
    const m = mutation(
      'label.create',
      { id: randomUUID(), name: 'Dog on site', color: '#112233' },
      ++seq,
    )
    expect((await pushAs(server, alex, device, [m])).json().results[0].status).toBe('applied')
    expect((await pushAs(server, alex, device, [m])).json().results[0].status).toBe('duplicate')
  })
})
