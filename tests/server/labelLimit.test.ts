import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { MutationResult, PushResponse } from '../../protocol/sync'
import { MAX_LABELS_PER_DAY } from '../../server/mutations/labelCreate'
import {
  ALEX,
  DANA,
  JORDAN,
  mutation,
  pushAs,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

/** label.create is limited per technician: MAX_LABELS_PER_DAY in any rolling 24 hours. */

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const DAY_MS = 24 * 3600_000
const SENTENCE =
  'You have created 50 labels in the last 24 hours, the most allowed. Use an existing label, or try again tomorrow.'

function labels(count: number, firstSeq = 1): Mutation[] {
  return Array.from({ length: count }, (_, i) =>
    mutation(
      'label.create',
      { id: randomUUID(), name: `Label ${firstSeq + i}`, color: '#336699' },
      firstSeq + i,
    ),
  )
}

async function push(cookie: string, device: string, mutations: Mutation[]) {
  const res = await pushAs(server, cookie, device, mutations)
  expect(res.statusCode).toBe(200)
  return (res.json() as PushResponse).results
}

const statuses = (results: MutationResult[]) => results.map((r) => r.status)

describe('label.create rate limit', () => {
  it(`applies ${MAX_LABELS_PER_DAY} a day and rejects the rest with a sentence`, async () => {
    const cookie = await server.signIn(SAM)
    const device = randomUUID()
    const batch = labels(MAX_LABELS_PER_DAY + 5)
    const results = await push(cookie, device, batch)
    expect(statuses(results)).toEqual([
      ...Array(MAX_LABELS_PER_DAY).fill('applied'),
      ...Array(5).fill('rejected'),
    ])
    expect(results.at(-1)).toMatchObject({ code: 'rate_limited', reason: SENTENCE })
    const refusedIds = batch.slice(MAX_LABELS_PER_DAY).map((m) => (m.args as { id: string }).id)
    const stored = await server.db.kysely
      .selectFrom('labels')
      .select('id')
      .where('id', 'in', refusedIds)
      .execute()
    expect(stored).toEqual([])

    // Who and when are recorded.
    const sam = await server.userId(SAM)
    const made = await server.db.kysely
      .selectFrom('labels')
      .select(['created_by', 'created_at'])
      .where('id', '=', ((batch[0] as Mutation).args as { id: string }).id)
      .executeTakeFirstOrThrow()
    expect(made).toEqual({ created_by: sam, created_at: server.clock.now.toISOString() })

    // A resend of an applied one is a duplicate; an id that already exists (a seed label) is a
    // no-op that counts nothing, even at the limit.
    const again = await push(cookie, device, [
      { ...(batch[0] as Mutation), seq: MAX_LABELS_PER_DAY + 6 },
    ])
    expect(statuses(again)).toEqual(['duplicate'])
    const seedLabel = await server.db.kysely
      .selectFrom('labels')
      .select(['id', 'name', 'color'])
      .where('created_by', 'is', null)
      .executeTakeFirstOrThrow()
    const existing = await push(cookie, device, [
      mutation(
        'label.create',
        { id: seedLabel.id, name: seedLabel.name, color: seedLabel.color },
        MAX_LABELS_PER_DAY + 7,
      ),
    ])
    expect(statuses(existing)).toEqual(['applied'])

    // Another technician has their own count; the office is not limited.
    expect(statuses(await push(await server.signIn(ALEX), randomUUID(), labels(1)))).toEqual([
      'applied',
    ])
    const office = await push(await server.signIn(DANA), randomUUID(), labels(60))
    expect(office.every((r) => r.status === 'applied')).toBe(true)

    // The day rolls on: a refused one, sent again (Retry), is applied.
    const saved = server.clock.now
    server.clock.now = new Date(saved.getTime() + DAY_MS + 1000)
    try {
      const retried = await push(cookie, device, [
        { ...(batch.at(-1) as Mutation), seq: MAX_LABELS_PER_DAY + 8 },
      ])
      expect(statuses(retried)).toEqual(['applied'])
    } finally {
      server.clock.now = saved
    }
  })

  it('cannot be raced past by two devices pushing at once', async () => {
    const cookie = await server.signIn(JORDAN)
    const results = await Promise.all([
      push(cookie, randomUUID(), labels(30)),
      push(cookie, randomUUID(), labels(30)),
    ])
    const all = results.flat()
    expect(all.filter((r) => r.status === 'applied').length).toBe(MAX_LABELS_PER_DAY)
    expect(all.filter((r) => r.status === 'rejected').length).toBe(60 - MAX_LABELS_PER_DAY)
  })
})
