import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FormField, JobForm, LineItem } from '../../protocol/entities'
import type { Mutation } from '../../protocol/mutations'
import type { MutationResult } from '../../protocol/sync'
import { ALEX, DANA, mutation, pushAs, richJob, startTestServer, type TestServer } from './helpers'

/**
 * The office's routes check the data they write as the technician's actions check the same rows
 * (server/rules/, protocol/mutations.ts): each case is sent both ways and must be refused, or
 * taken, alike, with the same reason.
 */

let server: TestServer
let alex: string
let dana: string
let job: { id: string; number: number }
let seq = 0
const device = randomUUID()

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  job = await richJob(server)
})
afterAll(() => server.close())

async function send(m: Mutation): Promise<MutationResult> {
  const res = await pushAs(server, alex, device, [m])
  expect(res.statusCode, res.body).toBe(200)
  return res.json().results[0]
}
const patch = (url: string, payload: unknown) =>
  server.request(dana, { method: 'PATCH', url, payload: payload as object })
async function form(): Promise<JobForm> {
  const res = await server.request(dana, { method: 'GET', url: `/api/dispatch/jobs/${job.id}` })
  return res.json().form
}
const fieldOf = (f: JobForm, type: FormField['type']) =>
  f.fields.find((x) => x.type === type) as FormField

describe('office form answers', () => {
  it('refuse a number field given text and a choice given no option of it, as jobForm.answer does', async () => {
    const before = await form()
    const number = fieldOf(before, 'number')
    const choice = fieldOf(before, 'choice')
    const cases = [
      { answers: { [number.id]: 'not a number' }, reason: `"${number.label}" needs a number.` },
      {
        answers: { [choice.id]: 'Nonexistent option' },
        reason: `"${choice.label}" must be one of ${choice.options?.join(', ')}.`,
      },
    ]
    for (const { answers, reason } of cases) {
      const res = await patch(`/api/dispatch/forms/${before.id}`, { answers })
      expect(res.statusCode, res.body).toBe(400)
      expect(res.json()).toEqual({ error: 'invalid_request', message: reason })
      const base = Object.fromEntries(
        Object.keys(answers).map((k) => [k, before.answers[k] ?? null]),
      )
      const args = { formId: before.id, baseVersion: before.version, answers, base }
      const result = await send(mutation('jobForm.answer', args, ++seq))
      expect(result).toMatchObject({ status: 'rejected', code: 'invalid', reason })
    }
    expect(await form()).toEqual(before)
  })

  it('agree with jobForm.answer on any answer to any field (property)', async () => {
    const f = await form()
    const answer = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(...f.fields.flatMap((x) => x.options ?? [])),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    )
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...f.fields), answer, async (field, value) => {
        const answers = { [field.id]: value }
        const office = await patch(`/api/dispatch/forms/${f.id}`, { answers })
        const now = await form()
        const args = {
          formId: f.id,
          baseVersion: now.version,
          answers,
          base: { [field.id]: now.answers[field.id] ?? null },
        }
        const tech = await send(mutation('jobForm.answer', args, ++seq))
        expect(office.statusCode === 200, office.body).toBe(tech.status === 'applied')
        if (tech.status === 'rejected') expect(office.json().message).toBe(tech.reason)
      }),
      { numRuns: 40 },
    )
  })
})

describe('office invoice edits', () => {
  const line = (unitPriceCents: number): LineItem => ({
    id: randomUUID(),
    description: 'Labour',
    quantity: 1,
    unitPriceCents,
  })
  /** A new invoice of 1 line at `cents` (no tax), paid `paidCents` by the technician. */
  async function invoiceOf(cents: number, paidCents: number): Promise<string> {
    const id = randomUUID()
    const created = await send(
      mutation(
        'invoice.create',
        {
          id,
          jobId: job.id,
          number: `I-T-${++seq}`,
          lineItems: [line(cents)],
          taxRateBps: 0,
          estimateId: null,
          createdAt: new Date().toISOString(),
        },
        ++seq,
      ),
    )
    expect(created.status).toBe('applied')
    if (paidCents > 0) {
      const args = {
        id: randomUUID(),
        invoiceId: id,
        method: 'cash' as const,
        amountCents: paidCents,
        receivedAt: new Date().toISOString(),
      }
      expect((await send(mutation('payment.add', args, ++seq))).status).toBe('applied')
    }
    return id
  }
  async function invoice(id: string) {
    const res = await server.request(dana, { method: 'GET', url: `/api/dispatch/jobs/${job.id}` })
    return (res.json().invoices as Array<{ id: string }>).find((i) => i.id === id) as {
      id: string
      status: string
      version: number
      lineItems: LineItem[]
      balanceCents: number
    }
  }

  it('refuse to cut a paid invoice below what was paid, with the reason invoice.update gives', async () => {
    const id = await invoiceOf(117_017, 117_017)
    const before = await invoice(id)
    expect(before).toMatchObject({ status: 'paid', balanceCents: 0 })
    const cheap = [{ ...(before.lineItems[0] as LineItem), unitPriceCents: 1 }]
    const reason = `Invoice ${await numberOf(id)} would total $1,170.16 less than what was already paid.`

    const res = await patch(`/api/dispatch/invoices/${id}`, { lineItems: cheap })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json()).toEqual({ error: 'conflict', message: reason })
    expect(await invoice(id)).toEqual(before)

    const args = {
      invoiceId: id,
      baseVersion: before.version,
      changes: { lineItems: cheap },
      base: { lineItems: before.lineItems },
    }
    const tech = await send(mutation('invoice.update', args, ++seq))
    expect(tech).toMatchObject({ status: 'rejected', code: 'invalid', reason })
    // The invoice is still one the technician can edit.
    const more = [{ ...(before.lineItems[0] as LineItem), quantity: 2 }]
    const grow = { ...args, changes: { lineItems: more } }
    expect((await send(mutation('invoice.update', grow, ++seq))).status).toBe('applied')
  })

  it('move the status with the balance as invoice.update does, and mark paid only when nothing is owed', async () => {
    const id = await invoiceOf(10_000, 10_000)
    const before = await invoice(id)
    const grown = [{ ...(before.lineItems[0] as LineItem), unitPriceCents: 12_000 }]
    const res = await patch(`/api/dispatch/invoices/${id}`, { lineItems: grown })
    expect(res.statusCode, res.body).toBe(200)
    expect(await invoice(id)).toMatchObject({ status: 'sent', balanceCents: 2_000 })

    const paid = await patch(`/api/dispatch/invoices/${id}`, { status: 'paid' })
    expect(paid.statusCode, paid.body).toBe(409)
    expect(paid.json().message).toBe(
      `Invoice ${await numberOf(id)} still has $20.00 to pay; it is paid only when nothing is owed.`,
    )
    const back = await patch(`/api/dispatch/invoices/${id}`, { lineItems: before.lineItems })
    expect(back.statusCode, back.body).toBe(200)
    expect(await invoice(id)).toMatchObject({ status: 'paid', balanceCents: 0 })
  })

  it('refuse to edit the lines or tax of a void invoice, as invoice.update does', async () => {
    const id = await invoiceOf(5_000, 0)
    expect((await patch(`/api/dispatch/invoices/${id}`, { status: 'void' })).statusCode).toBe(200)
    const before = await invoice(id)
    const reason = `Invoice ${await numberOf(id)} is void; it can no longer be edited.`
    const res = await patch(`/api/dispatch/invoices/${id}`, { taxRateBps: 825 })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json()).toEqual({ error: 'conflict', message: reason })
    expect(await invoice(id)).toEqual(before)
    const args = {
      invoiceId: id,
      baseVersion: before.version,
      changes: { taxRateBps: 825 },
      base: { taxRateBps: 0 },
    }
    const tech = await send(mutation('invoice.update', args, ++seq))
    expect(tech).toMatchObject({ status: 'rejected', code: 'invalid', reason })
  })

  async function numberOf(id: string): Promise<string> {
    const row = await server.db.kysely
      .selectFrom('invoices')
      .select('number')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return row.number
  }
})

describe('office line items', () => {
  it('refuse a quantity past 2 decimals and two lines under one id, on estimates and invoices', async () => {
    const docs = await server.db.kysely
      .selectFrom('estimates')
      .select('id')
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow()
    const l = { id: randomUUID(), description: 'Filter', quantity: 1, unitPriceCents: 500 }
    const cases = [
      {
        lineItems: [{ ...l, quantity: 1e-9 }],
        message: 'lineItems.0.quantity must have at most 2 decimals',
      },
      {
        lineItems: [{ ...l, quantity: 0.0100000001 }],
        message: 'lineItems.0.quantity must have at most 2 decimals',
      },
      {
        lineItems: [l, { ...l, quantity: 2 }],
        message: `lineItems has more than one line with the id ${l.id}`,
      },
    ]
    for (const { lineItems, message } of cases) {
      for (const url of [
        `/api/dispatch/estimates/${docs.id}`,
        `/api/dispatch/invoices/${docs.id}`,
      ]) {
        const res = await patch(url, { lineItems })
        expect(res.statusCode, `${url} ${res.body}`).toBe(400)
        expect(res.json()).toEqual({ error: 'invalid_request', message })
      }
    }
  })
})
