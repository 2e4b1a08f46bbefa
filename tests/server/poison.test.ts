import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { PushResponse } from '../../protocol/sync'
import { encodePng } from '../../server/db/seed/png'
import { PROCESSED_RETENTION_DAYS } from '../../server/sync/purge'
import {
  ALEX,
  DANA,
  jobOf,
  noteAdd,
  pushAs,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

/**
 * Each case the issue "No single action, device or client can stop, poison or hijack sync" found
 * with a hand-made client, replayed against the real server on this run's store: each now gets a
 * 4xx or a per-mutation answer, and the note queued behind it in the same batch applies.
 */
let server: TestServer
let alex: string
let dana: string
let job: { id: string; number: number }

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  job = await jobOf(server, ALEX)
})
afterAll(() => server.close())

const OFFSET = '2026-01-01T00:00:00+01'
const CANONICAL = '2025-12-31T23:00:00.000Z'
const at = () => new Date().toISOString()
const raw = (name: string, args: unknown, seq: number): Mutation =>
  ({ id: randomUUID(), seq, name, args, at: at() }) as Mutation

/** Pushes `bad` then a plain note behind it; asserts 200 and that the note applied. */
async function withNoteBehind(bad: Mutation[], cookie = alex) {
  const device = randomUUID()
  const behind = noteAdd(job.id, bad.length + 1, `behind ${randomUUID()}`)
  const res = await pushAs(server, cookie, device, [
    ...bad.map((m, i) => ({ ...m, seq: i + 1 })),
    behind,
  ])
  expect(res.statusCode).toBe(200)
  const results = (res.json() as PushResponse).results
  expect(results.at(-1)?.status).toBe('applied')
  return results.slice(0, -1)
}

const row = (
  table:
    | 'notes'
    | 'estimates'
    | 'invoices'
    | 'payments'
    | 'signatures'
    | 'appointments'
    | 'attachments'
    | 'labels'
    | 'jobs',
  id: string,
) => server.db.kysely.selectFrom(table).selectAll().where('id', '=', id).executeTakeFirstOrThrow()

describe('a date-time with an offset the old parser could not read', () => {
  it('is stored in the one canonical UTC form by every action that carries one', async () => {
    const ids = Object.fromEntries(
      ['note', 'estimate', 'invoice', 'payment', 'signature', 'appointment', 'attachment'].map(
        (k) => [k, randomUUID()],
      ),
    )
    const bytes = encodePng(3, 3, () => [1, 2, 3])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const put = await server.request(alex, {
      method: 'PUT',
      url: `/api/attachments/${ids.attachment}/file`,
      headers: { 'content-type': 'image/png', 'x-content-sha256': sha256 },
      payload: bytes,
    })
    expect(put.statusCode).toBe(201)
    const line = { id: randomUUID(), description: 'Labor', quantity: 1, unitPriceCents: 10_000 }
    const results = await withNoteBehind([
      raw('note.add', { id: ids.note, jobId: job.id, body: 'offset', createdAt: OFFSET }, 0),
      raw(
        'estimate.create',
        {
          id: ids.estimate,
          jobId: job.id,
          number: `E-x-${randomUUID()}`,
          lineItems: [line],
          taxRateBps: 0,
          createdAt: OFFSET,
        },
        0,
      ),
      raw(
        'invoice.create',
        {
          id: ids.invoice,
          jobId: job.id,
          number: `I-x-${randomUUID()}`,
          lineItems: [line],
          taxRateBps: 0,
          estimateId: null,
          createdAt: OFFSET,
        },
        0,
      ),
      raw(
        'payment.add',
        {
          id: ids.payment,
          invoiceId: ids.invoice,
          method: 'cash',
          amountCents: 100,
          reference: null,
          receivedAt: OFFSET,
        },
        0,
      ),
      raw(
        'signature.add',
        {
          id: ids.signature,
          jobId: job.id,
          subjectType: 'job',
          subjectId: job.id,
          signerName: 'Pat',
          signedAt: OFFSET,
          image: 'data:image/png;base64,iVBORw0KGgo=',
        },
        0,
      ),
      raw(
        'appointment.create',
        {
          id: ids.appointment,
          jobId: job.id,
          startsAt: OFFSET,
          endsAt: '2026-01-01T02:00:00+0100',
        },
        0,
      ),
      raw(
        'attachment.add',
        {
          id: ids.attachment,
          jobId: job.id,
          kind: 'photo',
          filename: 'a.png',
          mimeType: 'image/png',
          size: bytes.length,
          sha256,
          takenAt: OFFSET,
          thumbnail: null,
        },
        0,
      ),
    ])
    expect(results.map((r) => [r.status, r.reason])).toEqual(
      results.map(() => ['applied', undefined]),
    )
    expect((await row('notes', ids.note as string)).created_at).toBe(CANONICAL)
    expect((await row('estimates', ids.estimate as string)).created_at).toBe(CANONICAL)
    expect((await row('invoices', ids.invoice as string)).created_at).toBe(CANONICAL)
    expect((await row('payments', ids.payment as string)).received_at).toBe(CANONICAL)
    expect((await row('signatures', ids.signature as string)).signed_at).toBe(CANONICAL)
    expect((await row('attachments', ids.attachment as string)).taken_at).toBe(CANONICAL)
    const appointment = await row('appointments', ids.appointment as string)
    expect([appointment.starts_at, appointment.ends_at]).toEqual([
      CANONICAL,
      '2026-01-01T01:00:00.000Z',
    ])

    // The dispatcher's appointment edit takes the same shapes.
    const patch = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/appointments/${ids.appointment}`,
      payload: { startsAt: '2026-01-02 08:00:00-0530', endsAt: '2026-01-02T09:00-05:30' },
    })
    expect(patch.statusCode).toBe(200)
    const moved = await row('appointments', ids.appointment as string)
    expect([moved.starts_at, moved.ends_at]).toEqual([
      '2026-01-02T13:30:00.000Z',
      '2026-01-02T14:30:00.000Z',
    ])
  })

  it('an impossible date (February 31st) is refused as invalid, with a reason, and the batch goes on', async () => {
    const [result] = await withNoteBehind([
      raw(
        'note.add',
        { id: randomUUID(), jobId: job.id, body: 'x', createdAt: '2026-02-31T00:00:00Z' },
        0,
      ),
    ])
    expect(result).toMatchObject({ status: 'rejected', code: 'invalid' })
    expect(result?.reason).toMatch(/createdAt must be an ISO date-time/)
  })
})

describe('text with NUL and lone surrogates', () => {
  it('is stored the same on both stores: NUL dropped, a lone surrogate as U+FFFD', async () => {
    const note = randomUUID()
    const label = randomUUID()
    const estimate = randomUUID()
    const results = await withNoteBehind([
      raw('note.add', { id: note, jobId: job.id, body: 'a\u0000b\ud800c', createdAt: at() }, 0),
      raw('label.create', { id: label, name: 'N\u0000UL', color: '#123456' }, 0),
      raw(
        'estimate.create',
        {
          id: estimate,
          jobId: job.id,
          number: `E-\u0000${randomUUID()}`,
          lineItems: [
            { id: randomUUID(), description: 'Line\u0000one', quantity: 1, unitPriceCents: 1 },
          ],
          taxRateBps: 0,
          createdAt: at(),
        },
        0,
      ),
    ])
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
    expect((await row('notes', note)).body).toBe('ab\ufffdc')
    expect((await row('labels', label)).name).toBe('NUL')
    const stored = await row('estimates', estimate)
    expect(stored.number).not.toContain('\u0000')
    expect(JSON.parse(stored.line_items)[0].description).toBe('Lineone')

    const patch = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { description: 'Office\u0000 note' },
    })
    expect(patch.statusCode).toBe(200)
    expect((await row('jobs', job.id)).description).toBe('Office note')
  })
})

describe('ids and devices', () => {
  it("another user's mutation id is not answered 'duplicate': ids are per user", async () => {
    const sam = await server.signIn(SAM)
    const samJob = await jobOf(server, SAM)
    const shared = randomUUID()
    const mine = await pushAs(server, alex, randomUUID(), [
      { ...noteAdd(job.id, 1, 'alex first'), id: shared },
    ])
    expect((mine.json() as PushResponse).results[0]?.status).toBe('applied')
    const theirs = await pushAs(server, sam, randomUUID(), [
      { ...noteAdd(samJob.id, 1, 'sam second'), id: shared },
    ])
    expect((theirs.json() as PushResponse).results[0]?.status).toBe('applied')
  })

  it('a push under a known device id without its secret is refused; the real device goes on', async () => {
    const device = randomUUID()
    const secret = 'a'.repeat(43)
    const first = await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      payload: { deviceId: device, deviceSecret: secret, mutations: [noteAdd(job.id, 1)] },
    })
    expect(first.statusCode).toBe(200)

    // Another session of the same user, knowing only the device id, tries to jump its seq.
    const other = await server.signIn(ALEX)
    for (const deviceSecret of [undefined, 'b'.repeat(43)]) {
      const hijack = await server.request(other, {
        method: 'POST',
        url: '/api/sync/push',
        payload: { deviceId: device, deviceSecret, mutations: [noteAdd(job.id, 2 ** 53 - 1)] },
      })
      expect(hijack.statusCode).toBe(403)
      expect(hijack.json().error).toBe('device_not_yours')
    }

    // The same device signing in again (a new session) keeps working with its secret.
    const again = await server.request(other, {
      method: 'POST',
      url: '/api/sync/push',
      payload: { deviceId: device, deviceSecret: secret, mutations: [noteAdd(job.id, 2)] },
    })
    expect((again.json() as PushResponse).results[0]?.status).toBe('applied')
  })

  it('a device from before secrets keeps working, and its first push with a secret claims it', async () => {
    const device = randomUUID()
    expect((await pushAs(server, alex, device, [noteAdd(job.id, 1)])).statusCode).toBe(200)
    expect((await pushAs(server, alex, device, [noteAdd(job.id, 2)])).statusCode).toBe(200)
    const claim = await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      payload: { deviceId: device, deviceSecret: 'c'.repeat(40), mutations: [noteAdd(job.id, 3)] },
    })
    expect(claim.statusCode).toBe(200)
    expect((await pushAs(server, alex, device, [noteAdd(job.id, 4)])).statusCode).toBe(403)
  })

  it(`an action made more than ${PROCESSED_RETENTION_DAYS} days ago is refused too_old, not applied, and the batch goes on`, async () => {
    const old = new Date(Date.now() - (PROCESSED_RETENTION_DAYS + 1) * 86_400_000).toISOString()
    const body = `too old ${randomUUID()}`
    const [result] = await withNoteBehind([{ ...noteAdd(job.id, 1, body), at: old }])
    expect(result).toMatchObject({ status: 'rejected', code: 'too_old' })
    expect(result?.reason).toMatch(/more than 90 days ago/)
    const stored = await server.db.kysely
      .selectFrom('notes')
      .select('id')
      .where('body', '=', body)
      .execute()
    expect(stored).toEqual([])
  })
})

describe('limits a hand-made client may not pass', () => {
  it('a baseVersion beyond a 32-bit integer is invalid, not a 500', async () => {
    const [result] = await withNoteBehind([
      raw(
        'job.update',
        { jobId: job.id, baseVersion: 2 ** 53 - 1, changes: { title: 'x' }, base: { title: 'y' } },
        0,
      ),
    ])
    expect(result).toMatchObject({ status: 'rejected', code: 'invalid' })
  })

  it('a data: URL that is not plain base64 is refused', async () => {
    const [result] = await withNoteBehind([
      raw(
        'signature.add',
        {
          id: randomUUID(),
          jobId: job.id,
          subjectType: 'job',
          subjectId: job.id,
          signerName: 'P',
          signedAt: at(),
          image: 'data:image/png;base64,\u0000<script>',
        },
        0,
      ),
    ])
    expect(result).toMatchObject({ status: 'rejected', code: 'invalid' })
  })
})

describe('document numbers made on two devices', () => {
  it('collide no more: the second is renumbered by the server, and a pull shows the final number', async () => {
    const line = { id: randomUUID(), description: 'Labor', quantity: 1, unitPriceCents: 100 }
    const number = `E-${job.number}-77`
    const ids: string[] = [randomUUID(), randomUUID(), randomUUID()]
    for (const id of ids) {
      const res = await pushAs(server, alex, randomUUID(), [
        raw(
          'estimate.create',
          { id, jobId: job.id, number, lineItems: [line], taxRateBps: 0, createdAt: at() },
          1,
        ),
      ])
      expect((res.json() as PushResponse).results[0]?.status).toBe('applied')
    }
    const numbers = await Promise.all(ids.map(async (id) => (await row('estimates', id)).number))
    expect(numbers).toEqual([number, `E-${job.number}-78`, `E-${job.number}-79`])

    const pull = await server.request(alex, { method: 'GET', url: '/api/sync/pull' })
    const pulled = (pull.json().changes.estimates as Array<{ id: string; number: string }>).filter(
      (e) => ids.includes(e.id),
    )
    expect(pulled.map((e) => e.number).sort()).toEqual([...numbers].sort())
  })

  it('past 2^53: the same long number twice in one batch is counted up exactly, not forever', async () => {
    // As a Number, 9007199254740992 + 1 is itself: the search for a free number never ended and
    // the server stopped answering anyone (found by a hostile-client probe).
    const line = { id: randomUUID(), description: 'Labor', quantity: 1, unitPriceCents: 100 }
    const number = 'E-9007199254740992'
    const ids = [randomUUID(), randomUUID()]
    const res = await pushAs(
      server,
      alex,
      randomUUID(),
      ids.map((id, i) =>
        raw(
          'estimate.create',
          { id, jobId: job.id, number, lineItems: [line], taxRateBps: 0, createdAt: at() },
          i + 1,
        ),
      ),
    )
    expect((res.json() as PushResponse).results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
    ])
    const numbers = await Promise.all(ids.map(async (id) => (await row('estimates', id)).number))
    expect(numbers).toEqual([number, 'E-9007199254740993'])
  })
})
