import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { PullResponse, Removal } from '../../protocol/sync'
import { ALEX, DANA, JORDAN, mutation, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * Removals are rows of one kind (table) and id (server/sync/removals.ts). Ids come from devices,
 * and each table keys its own, so a hostile client can give a note and an estimate one id; two
 * removals of different kinds under one id must not hide each other (the device would go on
 * showing a row the technician no longer holds).
 */

let server: TestServer
let alex: string
let dana: string
let seq = 0
const device = randomUUID()

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

async function pull(cursor?: string): Promise<PullResponse> {
  const url = cursor ? `/api/sync/pull?cursor=${encodeURIComponent(cursor)}` : '/api/sync/pull'
  const res = await server.request(alex, { method: 'GET', url })
  expect(res.statusCode, res.body).toBe(200)
  return res.json()
}

async function send(m: Mutation): Promise<void> {
  const res = await pushAs(server, alex, device, [m])
  expect(res.statusCode, res.body).toBe(200)
  expect(res.json().results[0].status, res.body).toBe('applied')
}

const note = (id: string, jobId: string) =>
  mutation(
    'note.add',
    { id, jobId, body: `note ${id}`, createdAt: new Date().toISOString() },
    ++seq,
  )
const estimate = (id: string, jobId: string) =>
  mutation(
    'estimate.create',
    {
      id,
      jobId,
      number: `K-${randomUUID().slice(0, 8)}`,
      lineItems: [{ id: randomUUID(), description: 'Labour', quantity: 1, unitPriceCents: 100 }],
      taxRateBps: 0,
      createdAt: new Date().toISOString(),
    },
    ++seq,
  )

async function reassign(jobId: string, email: string): Promise<void> {
  const res = await server.request(dana, {
    method: 'PATCH',
    url: `/api/dispatch/jobs/${jobId}`,
    payload: { technicianId: await server.userId(email) },
  })
  expect(res.statusCode, res.body).toBe(200)
}

const kinds = (removed: Removal[], id: string) =>
  removed
    .filter((r) => r.id === id)
    .map((r) => r.table)
    .sort()

describe('removals of different kinds under one id', () => {
  it('are both sent when one job holding both leaves', async () => {
    const first = await pull()
    const job = first.changes.jobs[0]?.id as string
    const id = randomUUID()
    await send(note(id, job))
    await send(estimate(id, job))
    await reassign(job, JORDAN)

    const delta = await pull(first.cursor)
    expect(kinds(delta.removed, id)).toEqual(['estimates', 'notes'])
  })

  it('one held again does not keep back the other', async () => {
    const first = await pull()
    const [comesBack, leaves] = first.changes.jobs.slice(0, 2).map((j) => j.id) as [string, string]
    const id = randomUUID()
    await send(estimate(id, comesBack))
    await send(note(id, leaves))
    // The estimate's job leaves and comes back (its tombstone stays, but Alex holds it again);
    // the note's job leaves for good.
    await reassign(comesBack, JORDAN)
    await reassign(comesBack, ALEX)
    await reassign(leaves, JORDAN)

    const delta = await pull(first.cursor)
    expect(kinds(delta.removed, id)).toEqual(['notes'])
    expect(delta.changes.estimates.map((e) => e.id)).toContain(id)
  })
})
