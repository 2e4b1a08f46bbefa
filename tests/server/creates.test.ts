import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushResponse } from '../../protocol/sync'
import { encodePng } from '../../server/db/seed/png'
import { ALEX, jobOf, mutation, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * "The server never answers applied for what it does not hold", for every create: an id already
 * used with the same content is the same action again (applied, nothing written), with other
 * content it is refused `conflict`, in one push or across pushes. A create sent again after a
 * later edit of what it made (version past 1) is still the same action. On this run's store.
 */
let server: TestServer
let alex: string
let job: { id: string; number: number }
let otherJob: { id: string }
const device = randomUUID()
let seq = 0

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  job = await jobOf(server, ALEX)
  const alexId = await server.userId(ALEX)
  otherJob = await server.db.kysely
    .selectFrom('jobs')
    .select('id')
    .where('technician_id', '=', alexId)
    .where('id', '!=', job.id)
    .executeTakeFirstOrThrow()
})
afterAll(() => server.close())

type Args = Record<string, unknown>
const m = (name: string, args: Args) => mutation(name as 'note.add', args as never, ++seq)

async function answers(...mutations: ReturnType<typeof m>[]) {
  const res = await pushAs(server, alex, device, mutations)
  expect(res.statusCode).toBe(200)
  return res.json<PushResponse>().results.map((r) => (r.code ? `${r.status}/${r.code}` : r.status))
}

const line = (description: string, unitPriceCents = 10_000) => ({
  id: randomUUID(),
  description,
  quantity: 1,
  unitPriceCents,
})

function estimate(over: Args = {}): Args {
  return {
    id: randomUUID(),
    jobId: job.id,
    number: `E-${randomUUID().slice(0, 8)}`,
    lineItems: [line('Labor')],
    taxRateBps: 0,
    createdAt: '2026-03-01T10:00:00.000Z',
    ...over,
  }
}

const stored = (table: 'estimates' | 'invoices' | 'appointments' | 'attachments', id: string) =>
  server.db.kysely.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('estimate.create and invoice.create under an id already used', () => {
  it('other lines in the same push: the second is a conflict and the first is what is stored', async () => {
    const first = estimate()
    const second = { ...first, lineItems: [line('Something else', 99)] }
    expect(await answers(m('estimate.create', first), m('estimate.create', second))).toEqual([
      'applied',
      'rejected/conflict',
    ])
    expect(JSON.parse((await stored('estimates', first.id as string)).line_items)).toEqual(
      first.lineItems,
    )
  })

  it('other tax, date or job is a conflict; the same content again is applied', async () => {
    const first = estimate()
    expect(await answers(m('estimate.create', first))).toEqual(['applied'])
    expect(
      await answers(
        m('estimate.create', { ...first, taxRateBps: 500 }),
        m('estimate.create', { ...first, createdAt: '2026-03-02T10:00:00.000Z' }),
        m('estimate.create', { ...first, jobId: otherJob.id }),
        m('estimate.create', { ...first }),
      ),
    ).toEqual(['rejected/conflict', 'rejected/conflict', 'rejected/conflict', 'applied'])
  })

  it('a create renumbered by the server, sent again, is the same create', async () => {
    const taken = estimate()
    const clash = estimate({ number: taken.number })
    expect(await answers(m('estimate.create', taken), m('estimate.create', clash))).toEqual([
      'applied',
      'applied',
    ])
    expect((await stored('estimates', clash.id as string)).number).not.toBe(clash.number)
    expect(await answers(m('estimate.create', clash))).toEqual(['applied'])
  })

  it('after an estimate.update, the create sent again is applied, another create still a conflict', async () => {
    const first = estimate()
    expect(await answers(m('estimate.create', first))).toEqual(['applied'])
    const lines = [line('Edited', 5_000)]
    expect(
      await answers(
        m('estimate.update', {
          estimateId: first.id,
          baseVersion: 1,
          changes: { lineItems: lines },
          base: { lineItems: first.lineItems },
        }),
      ),
    ).toEqual(['applied'])
    expect(
      await answers(
        m('estimate.create', first),
        m('estimate.create', { ...first, createdAt: '2026-03-05T10:00:00.000Z' }),
      ),
    ).toEqual(['applied', 'rejected/conflict'])
    expect(JSON.parse((await stored('estimates', first.id as string)).line_items)).toEqual(lines)
  })

  it('invoice.create: other lines or another estimate is a conflict', async () => {
    const est = estimate()
    const inv: Args = { ...estimate(), estimateId: null }
    expect(
      await answers(
        m('estimate.create', est),
        m('invoice.create', inv),
        m('invoice.create', { ...inv, lineItems: [line('Other', 1)] }),
        m('invoice.create', { ...inv, estimateId: est.id }),
        m('invoice.create', { ...inv }),
      ),
    ).toEqual(['applied', 'applied', 'rejected/conflict', 'rejected/conflict', 'applied'])
    expect((await stored('invoices', inv.id as string)).estimate_id).toBeNull()
  })
})

describe('appointment.create under an id already used', () => {
  const times = (h: number) => ({
    startsAt: `2026-03-10T${String(h).padStart(2, '0')}:00:00.000Z`,
    endsAt: `2026-03-10T${String(h + 1).padStart(2, '0')}:00:00.000Z`,
  })

  it('other times on the same job: a conflict, and the first times are what is stored', async () => {
    const first = { id: randomUUID(), jobId: job.id, ...times(9) }
    expect(
      await answers(
        m('appointment.create', first),
        m('appointment.create', { ...first, ...times(14) }),
        m('appointment.create', { ...first }),
      ),
    ).toEqual(['applied', 'rejected/conflict', 'applied'])
    expect((await stored('appointments', first.id)).starts_at).toBe(first.startsAt)
  })

  it('after a reschedule, the create sent again is applied', async () => {
    const first = { id: randomUUID(), jobId: job.id, ...times(9) }
    expect(await answers(m('appointment.create', first))).toEqual(['applied'])
    const later = times(15)
    expect(
      await answers(
        m('appointment.reschedule', {
          appointmentId: first.id,
          baseVersion: 1,
          ...later,
          base: times(9),
        }),
        m('appointment.create', first),
        m('appointment.create', { ...first, jobId: otherJob.id }),
      ),
    ).toEqual(['applied', 'applied', 'rejected/conflict'])
    expect((await stored('appointments', first.id)).starts_at).toBe(later.startsAt)
  })
})

describe('attachment.add under an id already used', () => {
  it('another name, kind or time for the same file is a conflict', async () => {
    const id = randomUUID()
    const bytes = encodePng(3, 3, () => [9, 8, 7])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const put = await server.request(alex, {
      method: 'PUT',
      url: `/api/attachments/${id}/file`,
      headers: { 'content-type': 'image/png', 'x-content-sha256': sha256 },
      payload: bytes,
    })
    expect(put.statusCode).toBe(201)
    const first = {
      id,
      jobId: job.id,
      kind: 'photo',
      filename: 'boiler.png',
      mimeType: 'image/png',
      size: bytes.length,
      sha256,
      takenAt: '2026-03-01T10:00:00.000Z',
      thumbnail: null,
    }
    expect(
      await answers(
        m('attachment.add', first),
        m('attachment.add', { ...first, filename: 'other.png' }),
        m('attachment.add', { ...first, kind: 'pdf' }),
        m('attachment.add', { ...first, takenAt: '2026-03-02T10:00:00.000Z' }),
        m('attachment.add', { ...first }),
      ),
    ).toEqual(['applied', 'rejected/conflict', 'rejected/conflict', 'rejected/conflict', 'applied'])
    expect((await stored('attachments', id)).filename).toBe('boiler.png')
  })
})
