import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushResponse } from '../../protocol/sync'
import { PROTOCOL_VERSION } from '../../protocol/version'
import { argsHash } from '../../server/sync/argsHash'
import { ALEX, jobOf, startTestServer, type TestServer } from './helpers'

/**
 * Protocol versions (issue 18): the server takes pushes and pulls from the current app (2) and
 * the previous one (1, which names no version), upgrades version 1's `payment.add` (reference
 * null → left out), and answers any other version 426 `update_required` with nothing applied.
 */

let server: TestServer
let alex: string
let job: { id: string; number: number }
let seq = 0
const deviceId = randomUUID()
const now = () => new Date().toISOString()

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  job = await jobOf(server, ALEX)
})
afterAll(() => server.close())

function push(mutations: unknown[], protocol?: string) {
  return server.request(alex, {
    method: 'POST',
    url: '/api/sync/push',
    headers: protocol === undefined ? {} : { 'x-fieldline-protocol': protocol },
    payload: { deviceId, mutations },
  })
}

function pull(protocol?: string) {
  return server.request(alex, {
    method: 'GET',
    url: '/api/sync/pull',
    headers: protocol === undefined ? {} : { 'x-fieldline-protocol': protocol },
  })
}

/** A draft invoice of $100 on Alex's job, made through a current push. */
async function invoice(): Promise<string> {
  const id = randomUUID()
  const res = await push(
    [
      {
        id: randomUUID(),
        seq: ++seq,
        name: 'invoice.create',
        at: now(),
        v: PROTOCOL_VERSION,
        args: {
          id,
          jobId: job.id,
          number: `I-${job.number}-${seq}`,
          lineItems: [
            { id: randomUUID(), description: 'Call-out', quantity: 1, unitPriceCents: 10_000 },
          ],
          taxRateBps: 0,
          estimateId: null,
          createdAt: now(),
        },
      },
    ],
    String(PROTOCOL_VERSION),
  )
  expect(res.json<PushResponse>().results[0]?.status).toBe('applied')
  return id
}

/** A cash payment of $10 on the invoice, with `reference: null` (version 1) or without (2). */
function payment(invoiceId: string, shape: 1 | 2, v?: number) {
  const args = {
    id: randomUUID(),
    invoiceId,
    method: 'cash',
    amountCents: 1_000,
    receivedAt: now(),
    ...(shape === 1 ? { reference: null } : {}),
  }
  return { id: randomUUID(), seq: ++seq, name: 'payment.add', at: now(), args, ...(v ? { v } : {}) }
}

async function payments(invoiceId: string) {
  return server.db.kysely
    .selectFrom('payments')
    .select(['id', 'reference'])
    .where('invoice_id', '=', invoiceId)
    .execute()
}

const statuses = (res: { json<T>(): T }) => res.json<PushResponse>().results.map((r) => r.status)

describe('push with protocol versions', () => {
  it('takes the current version in the current shape, and refuses the old shape in it', async () => {
    const inv = await invoice()
    const ok = payment(inv, 2, 2)
    expect(statuses(await push([ok], '2'))).toEqual(['applied'])
    // Version 2 no longer says "no reference" with null: that is version 1's shape.
    const old = await push([payment(inv, 1, 2)], '2')
    expect(old.json<PushResponse>().results[0]).toMatchObject({
      status: 'rejected',
      code: 'invalid',
    })
    expect(await payments(inv)).toEqual([{ id: ok.args.id, reference: null }])
  })

  it('takes the previous version, named or not, upgrading its shape', async () => {
    const inv = await invoice()
    const unnamed = payment(inv, 1) // today's apps in the field: no header, no v
    const named = payment(inv, 1, 1)
    expect(statuses(await push([unnamed]))).toEqual(['applied'])
    expect(statuses(await push([named], '1'))).toEqual(['applied'])
    // Queued on version 1, sent after the app updated to version 2.
    const queuedBefore = payment(inv, 1, 1)
    const madeAfter = payment(inv, 2, 2)
    expect(statuses(await push([queuedBefore, madeAfter], '2'))).toEqual(['applied', 'applied'])
    const ids = [unnamed, named, queuedBefore, madeAfter].map((m) => m.args.id).sort()
    expect((await payments(inv)).map((p) => p.id).sort()).toEqual(ids)
    // Resent (a lost answer): still the same action, by the same id.
    expect(statuses(await push([unnamed]))).toEqual(['duplicate'])
    expect(statuses(await push([{ ...queuedBefore }], '2'))).toEqual(['duplicate'])
  })

  it('a version 1 action the server before the upgrade applied is a duplicate when resent', async () => {
    const inv = await invoice()
    const m = payment(inv, 1)
    expect(statuses(await push([m]))).toEqual(['applied'])
    // What the server before this version recorded: the hash of the args in version 1's shape.
    await server.db.kysely
      .updateTable('processed_mutations')
      .set({ args_hash: argsHash('payment.add', m.args) })
      .where('id', '=', m.id)
      .execute()
    expect(statuses(await push([m]))).toEqual(['duplicate'])
  })

  it('answers 426 update_required to older or newer versions, applying nothing', async () => {
    const inv = await invoice()
    for (const version of ['0', String(PROTOCOL_VERSION + 1), ' 0 ']) {
      const res = await push([payment(inv, 2)], version)
      expect(res.statusCode).toBe(426)
      expect(res.json()).toMatchObject({
        error: 'update_required',
        message: expect.stringMatching(/update/i),
        accepts: { oldest: PROTOCOL_VERSION - 1, newest: PROTOCOL_VERSION },
      })
    }
    expect(await payments(inv)).toEqual([])
  })

  it('answers 400 with a reason to a header that is not a version, applying nothing', async () => {
    const inv = await invoice()
    for (const version of ['two', '', '2.0', '-1', '1e3', '9999999']) {
      const res = await push([payment(inv, 2)], version)
      expect(res.statusCode, JSON.stringify(version)).toBe(400)
      expect(res.json()).toMatchObject({
        error: 'invalid_request',
        message: expect.stringContaining('must be a protocol version'),
      })
    }
    expect(await payments(inv)).toEqual([])
  })

  it('refuses on its own a version 1 action with deeply nested junk, and applies the rest', async () => {
    const inv = await invoice()
    const junk = payment(inv, 1)
    const good = payment(inv, 1)
    // Raw JSON: 100,000 nested arrays beside `reference: null` (which makes the server upgrade
    // the args, and once hashed them before any schema had looked at them: a 500 for the batch).
    const depth = 100_000
    const text = JSON.stringify({ deviceId, mutations: [junk, good] }).replace(
      '"reference":null',
      `"reference":null,"x":${'['.repeat(depth)}${']'.repeat(depth)}`,
    )
    const res = await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      headers: { 'content-type': 'application/json' },
      payload: text,
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json<PushResponse>().results.map((r) => [r.status, r.code])).toEqual([
      ['rejected', 'invalid'],
      ['applied', undefined],
    ])
    expect((await payments(inv)).map((p) => p.id)).toEqual([good.args.id])
  })

  it('refuses, on its own, an action newer than the request that carries it', async () => {
    const inv = await invoice()
    const res = await push([payment(inv, 2, 2)], '1')
    expect(res.statusCode).toBe(200)
    expect(res.json<PushResponse>().results[0]).toMatchObject({
      status: 'rejected',
      code: 'invalid',
      reason: expect.stringContaining('v is newer than the protocol the request speaks (1)'),
    })
    expect(await payments(inv)).toEqual([])
  })
})

describe('pull with protocol versions', () => {
  it('answers the current and previous version, and 426 to any other', async () => {
    for (const version of [undefined, '1', String(PROTOCOL_VERSION)]) {
      const res = await pull(version)
      expect(res.statusCode).toBe(200)
      expect(res.json()).toHaveProperty('cursor')
    }
    for (const version of ['0', String(PROTOCOL_VERSION + 1)]) {
      const res = await pull(version)
      expect(res.statusCode).toBe(426)
      expect(res.json()).toMatchObject({
        error: 'update_required',
        protocolVersion: Number(version),
      })
    }
  })
})
