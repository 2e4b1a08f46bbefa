import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobForm, LineItem } from '../../protocol/entities'
import type { Mutation } from '../../protocol/mutations'
import type { MutationResult } from '../../protocol/sync'
import { ALEX, DANA, mutation, pushAs, richJob, startTestServer, type TestServer } from './helpers'

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
  expect(res.statusCode).toBe(200)
  return res.json().results[0]
}
async function detail() {
  const res = await server.request(dana, { method: 'GET', url: `/api/dispatch/jobs/${job.id}` })
  return res.json()
}
const office = (url: string, payload: object) =>
  server.request(dana, { method: 'PATCH', url, payload }).then((res) => {
    expect(res.statusCode, res.body).toBe(200)
    return res.json()
  })

describe('edits', () => {
  it('merges different fields: office description and technician title are both kept', async () => {
    const before = (await detail()).job
    await office(`/api/dispatch/jobs/${job.id}`, { description: 'Office: gate code 4411' })
    const m = mutation(
      'job.update',
      {
        jobId: job.id,
        baseVersion: before.version,
        changes: { title: 'Replace faucet cartridge' },
        base: { title: before.title },
      },
      ++seq,
    )
    expect((await send(m)).status).toBe('applied')
    const after = (await detail()).job
    expect(after).toMatchObject({
      title: 'Replace faucet cartridge',
      description: 'Office: gate code 4411',
      version: before.version + 2,
    })
    expect((await send(m)).status).toBe('duplicate')
  })

  it('applies what did not clash at once; the same field is a conflict with both values; "Keep mine" applies it', async () => {
    const before = (await detail()).job
    await office(`/api/dispatch/jobs/${job.id}`, { title: 'Office title' })
    const m = mutation(
      'job.update',
      {
        jobId: job.id,
        baseVersion: before.version,
        changes: { title: 'My title', status: 'in_progress' },
        base: { title: before.title, status: before.status },
      },
      ++seq,
    )
    const result = await send(m)
    expect(result).toMatchObject({
      status: 'conflict',
      code: 'conflict',
      conflicts: [{ field: 'title', server: 'Office title', mine: 'My title' }],
      serverVersion: before.version + 2,
    })
    // When the office made its change, so the device can suggest whoever changed it last.
    expect(Date.parse(result.conflicts?.[0]?.serverAt ?? '')).toBeGreaterThan(0)
    expect(result.reason).toContain(`Job #${job.number}`)
    expect(result.reason).toContain('The rest of your change was saved.')
    // The status did not clash: applied at once. The title waits for the technician.
    expect((await detail()).job).toMatchObject({ title: 'Office title', status: 'in_progress' })
    const recorded = await server.db.kysely
      .selectFrom('processed_mutations')
      .select('status')
      .where('id', '=', m.id)
      .executeTakeFirstOrThrow()
    expect(recorded.status).toBe('conflict')

    // Sent again unchanged: still a conflict (re-evaluated, not a duplicate).
    expect((await send(m)).status).toBe('conflict')

    // Keep mine: the same id with the office's value as base and the new version.
    const keep = {
      ...m,
      args: {
        jobId: job.id,
        baseVersion: before.version + 2,
        changes: { title: 'My title', status: 'in_progress' },
        base: { title: 'Office title', status: before.status },
      },
    } as Mutation
    expect((await send(keep)).status).toBe('applied')
    expect((await detail()).job).toMatchObject({ title: 'My title', status: 'in_progress' })
    expect((await send(keep)).status).toBe('duplicate')
  })

  it('two new lines that are each fine but together pass $1B clash as a whole list, and nothing over $1B is stored', async () => {
    const estimate = (await detail()).estimates[0]
    const big = () => ({
      id: randomUUID(),
      description: 'Turbine',
      quantity: 60,
      unitPriceCents: 1_000_000_000,
    })
    const officeLines = [...estimate.lineItems, big()]
    await office(`/api/dispatch/estimates/${estimate.id}`, { lineItems: officeLines })
    const m = mutation(
      'estimate.update',
      {
        estimateId: estimate.id,
        baseVersion: estimate.version,
        changes: { lineItems: [...estimate.lineItems, big()] },
        base: { lineItems: estimate.lineItems },
      },
      ++seq,
    )
    const result = await send(m)
    expect(result.status).toBe('conflict')
    const now = (await detail()).estimates[0]
    expect(now.lineItems).toEqual(officeLines)
    // What is stored can be saved again as it is.
    await office(`/api/dispatch/estimates/${estimate.id}`, { lineItems: now.lineItems })
  })

  it('merges estimate line items line by line and attribute by attribute', async () => {
    const estimate = (await detail()).estimates[0]
    const mine: LineItem[] = [
      ...estimate.lineItems,
      { id: randomUUID(), description: 'Shut-off valve', quantity: 1, unitPriceCents: 4500 },
    ]
    // The office changes the tax only: a merge.
    await office(`/api/dispatch/estimates/${estimate.id}`, { taxRateBps: 500 })
    const merge = mutation(
      'estimate.update',
      {
        estimateId: estimate.id,
        baseVersion: estimate.version,
        changes: { lineItems: mine },
        base: { lineItems: estimate.lineItems },
      },
      ++seq,
    )
    expect((await send(merge)).status).toBe('applied')
    let now = (await detail()).estimates[0]
    expect(now).toMatchObject({ taxRateBps: 500, lineItems: mine, version: estimate.version + 2 })

    // The office changes the first line's quantity and drops the others; the technician drops
    // the same lines and sends the estimate: nothing really clashes, all of it is kept.
    const first = mine[0] as LineItem
    await office(`/api/dispatch/estimates/${estimate.id}`, {
      lineItems: [{ ...first, quantity: 9 }],
    })
    const noClash = mutation(
      'estimate.update',
      {
        estimateId: estimate.id,
        baseVersion: now.version,
        changes: { lineItems: [first], status: 'sent' },
        base: { lineItems: mine, status: now.status },
      },
      ++seq,
    )
    expect((await send(noClash)).status).toBe('applied')
    now = (await detail()).estimates[0]
    expect(now).toMatchObject({ status: 'sent', lineItems: [{ ...first, quantity: 9 }] })

    // Both change the same line's price: a clash on that attribute only; the technician's new
    // description of the line is written at once.
    const officeLine = { ...first, quantity: 9, unitPriceCents: 111 }
    await office(`/api/dispatch/estimates/${estimate.id}`, { lineItems: [officeLine] })
    const base = now.lineItems as LineItem[]
    const clash = mutation(
      'estimate.update',
      {
        estimateId: estimate.id,
        baseVersion: now.version,
        changes: {
          lineItems: [{ ...first, quantity: 9, unitPriceCents: 222, description: 'Valve' }],
        },
        base: { lineItems: base },
      },
      ++seq,
    )
    const result = await send(clash)
    expect(result.status).toBe('conflict')
    expect(result.conflicts?.map(({ serverAt: _, ...c }) => c)).toEqual([
      { field: 'lineItems', line: first.id, attribute: 'unitPriceCents', server: 111, mine: 222 },
    ])
    now = (await detail()).estimates[0]
    expect(now.lineItems).toEqual([{ ...officeLine, description: 'Valve' }])
  })

  it('edits an invoice and keeps its status in step with the balance', async () => {
    const state = await detail()
    const invoice = state.invoices[0]
    const paid = state.payments
      .filter((p: { invoiceId: string }) => p.invoiceId === invoice.id)
      .reduce((n: number, p: { amountCents: number }) => n + p.amountCents, 0)
    const lines: LineItem[] = [
      { id: randomUUID(), description: 'Flat fee', quantity: 1, unitPriceCents: paid },
    ]
    const m = mutation(
      'invoice.update',
      {
        invoiceId: invoice.id,
        baseVersion: invoice.version,
        changes: { lineItems: lines, taxRateBps: 0 },
        base: { lineItems: invoice.lineItems, taxRateBps: invoice.taxRateBps },
      },
      ++seq,
    )
    expect((await send(m)).status).toBe('applied')
    const after = (await detail()).invoices[0]
    expect(after).toMatchObject({ status: 'paid', balanceCents: 0, version: invoice.version + 1 })

    const tooLow = mutation(
      'invoice.update',
      {
        invoiceId: invoice.id,
        baseVersion: after.version,
        changes: { lineItems: [{ ...(lines[0] as LineItem), unitPriceCents: paid - 1 }] },
        base: { lineItems: lines },
      },
      ++seq,
    )
    expect(await send(tooLow)).toMatchObject({ status: 'rejected', code: 'invalid' })
  })

  it('treats each form answer as its own field', async () => {
    const form: JobForm = (await detail()).form
    const [a, b, c] = form.fields
    if (!a || !b || !c) throw new Error('form fields')
    await office(`/api/dispatch/forms/${form.id}`, { answers: { [a.id]: 99 } })
    // Technician answers b and c: merged with the office's a.
    const merge = mutation(
      'jobForm.answer',
      {
        formId: form.id,
        baseVersion: form.version,
        answers: { [b.id]: false, [c.id]: 'Poor' },
        base: { [b.id]: form.answers[b.id] ?? null, [c.id]: form.answers[c.id] ?? null },
      },
      ++seq,
    )
    expect((await send(merge)).status).toBe('applied')
    let now: JobForm = (await detail()).form
    expect(now.answers).toMatchObject({ [a.id]: 99, [b.id]: false, [c.id]: 'Poor' })

    // The technician changes a from its old value: conflict on a only.
    const clash = mutation(
      'jobForm.answer',
      {
        formId: form.id,
        baseVersion: form.version,
        answers: { [a.id]: 42, [c.id]: 'Good' },
        base: { [a.id]: form.answers[a.id] ?? null, [c.id]: 'Poor' },
      },
      ++seq,
    )
    const result = await send(clash)
    expect(result).toMatchObject({
      status: 'conflict',
      conflicts: [{ field: a.id, server: 99, mine: 42 }],
      serverVersion: now.version + 1,
    })
    // The question that did not clash is answered at once; the clashing one waits.
    now = (await detail()).form
    expect(now.answers[c.id]).toBe('Good')
    expect(now.answers[a.id]).toBe(99)

    // A wrong type for the field is invalid.
    const bad = mutation(
      'jobForm.answer',
      {
        formId: form.id,
        baseVersion: now.version,
        answers: { [c.id]: 'Excellent' },
        base: { [c.id]: 'Poor' },
      },
      ++seq,
    )
    expect(await send(bad)).toMatchObject({ status: 'rejected', code: 'invalid' })
  })

  it('compares an appointment time as one field', async () => {
    const appointment = (await detail()).appointments[0]
    const hour = 3600_000
    const shift = (iso: string, hours: number) =>
      new Date(Date.parse(iso) + hours * hour).toISOString()
    const officeTime = {
      startsAt: shift(appointment.startsAt, 1),
      endsAt: shift(appointment.endsAt, 1),
    }
    await office(`/api/dispatch/appointments/${appointment.id}`, officeTime)
    const mine = { startsAt: shift(appointment.startsAt, 2), endsAt: shift(appointment.endsAt, 2) }
    const m = mutation(
      'appointment.reschedule',
      {
        appointmentId: appointment.id,
        baseVersion: appointment.version,
        ...mine,
        base: { startsAt: appointment.startsAt, endsAt: appointment.endsAt },
      },
      ++seq,
    )
    expect(await send(m)).toMatchObject({
      status: 'conflict',
      conflicts: [{ field: 'time', server: officeTime, mine }],
      serverVersion: appointment.version + 1,
    })
    const keep = {
      ...m,
      args: { ...m.args, baseVersion: appointment.version + 1, base: officeTime },
    } as Mutation
    expect((await send(keep)).status).toBe('applied')
    const after = (await detail()).appointments.find((x: { id: string }) => x.id === appointment.id)
    expect(after).toMatchObject({ ...mine, version: appointment.version + 2 })
  })
})
