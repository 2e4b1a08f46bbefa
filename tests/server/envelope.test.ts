import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushResponse } from '../../protocol/sync'
import { ALEX, jobOf, noteAdd, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * "No single action may stop the ones behind it", at the envelope: an action with an unknown
 * name, an impossible `at`, a bad `v` or a field the envelope does not take is answered
 * `rejected` `invalid` on its own, recorded like any rejection (a resend gets the same answer),
 * and the actions around it apply. Only what identifies an action (id, seq) still refuses the
 * whole push. On this run's store (SQLite or PostgreSQL).
 */
let server: TestServer
let alex: string
let job: { id: string; number: number }

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  job = await jobOf(server, ALEX)
})
afterAll(() => server.close())

const noteIds = (mutations: Array<{ args?: unknown }>) =>
  mutations.map((m) => (m.args as { id: string }).id)

async function storedNotes(ids: string[]) {
  const rows = await server.db.kysely
    .selectFrom('notes')
    .select('id')
    .where('id', 'in', ids)
    .execute()
  return rows.map((r) => r.id).sort()
}

/** [note, bad, note] from a new device: 200, the bad one alone rejected, both notes stored. */
async function sandwich(bad: (m: ReturnType<typeof noteAdd>) => Record<string, unknown>) {
  const device = randomUUID()
  const batch = [noteAdd(job.id, 1), bad(noteAdd(job.id, 2)), noteAdd(job.id, 3)]
  const res = await pushAs(server, alex, device, batch)
  expect(res.statusCode).toBe(200)
  const results = res.json<PushResponse>().results
  expect(results.map((r) => [r.seq, r.status, r.code])).toEqual([
    [1, 'applied', undefined],
    [2, 'rejected', 'invalid'],
    [3, 'applied', undefined],
  ])
  const [first, , third] = noteIds(batch)
  expect(await storedNotes([first as string, third as string])).toEqual([first, third].sort())
  return { device, batch, results, reason: results[1]?.reason ?? '' }
}

describe('an action whose envelope cannot be read is rejected on its own', () => {
  it('an unknown action name', async () => {
    const { reason } = await sandwich((m) => ({ ...m, name: 'job.archive' }))
    expect(reason).toContain('“job.archive” is not an action this server knows')
  })

  it('an impossible day in `at`', async () => {
    const { reason } = await sandwich((m) => ({ ...m, at: '2026-02-30T00:00:00Z' }))
    expect(reason).toContain('at must be an ISO date-time')
  })

  it('a `v` that is not a version, or newer than this server', async () => {
    for (const v of [0, 1.5, '2', 99]) {
      const { reason } = await sandwich((m) => ({ ...m, v }))
      expect(reason).toMatch(/^This action could not be read, so it was not applied: v /)
    }
  })

  it('a field the envelope does not take, or a missing name or at', async () => {
    await sandwich((m) => ({ ...m, extra: 1 }))
    await sandwich(({ name: _name, ...m }) => m)
    const { reason } = await sandwich(({ at: _at, ...m }) => m)
    expect(reason).toContain('at is required')
  })

  it('is recorded like any rejection: the same batch again gets the same answer', async () => {
    const { device, batch, results } = await sandwich((m) => ({ ...m, name: 'job.archive' }))
    const record = await server.db.kysely
      .selectFrom('processed_mutations')
      .select(['name', 'status', 'code', 'reason'])
      .where('id', '=', batch[1]?.id as string)
      .executeTakeFirstOrThrow()
    expect(record).toEqual({
      name: 'job.archive',
      status: 'rejected',
      code: 'invalid',
      reason: results[1]?.reason,
    })
    const again = await pushAs(server, alex, device, batch)
    expect(again.json<PushResponse>().results.map((r) => [r.status, r.code, r.reason])).toEqual([
      ['duplicate', undefined, undefined],
      ['rejected', 'invalid', results[1]?.reason],
      ['duplicate', undefined, undefined],
    ])
  })

  it('a name no store could hold is cleaned and cut short for the record', async () => {
    const { batch } = await sandwich((m) => ({ ...m, name: `bad\u0000${'x'.repeat(5_000)}` }))
    const record = await server.db.kysely
      .selectFrom('processed_mutations')
      .select('name')
      .where('id', '=', batch[1]?.id as string)
      .executeTakeFirstOrThrow()
    expect(record.name).toBe(`bad${'x'.repeat(96)}`)
  })

  it('an applied id sent again with a bad envelope is id_reused, not a duplicate', async () => {
    const device = randomUUID()
    const note = noteAdd(job.id, 1)
    await pushAs(server, alex, device, [note])
    const res = await pushAs(server, alex, device, [{ ...note, name: 'job.archive' }])
    expect(res.json<PushResponse>().results[0]).toMatchObject({
      status: 'rejected',
      code: 'id_reused',
    })
  })

  it('what identifies an action (id, seq) still refuses the whole push, nothing applied', async () => {
    for (const bad of [{ id: 'not-a-uuid' }, { seq: 0 }, { seq: 'x' }]) {
      const batch = [noteAdd(job.id, 1), { ...noteAdd(job.id, 2), ...bad }, noteAdd(job.id, 3)]
      const res = await pushAs(server, alex, randomUUID(), batch)
      expect(res.statusCode).toBe(400)
      expect(res.json().message).toMatch(/^mutations\.1\.(id|seq) /)
      expect(await storedNotes(noteIds(batch))).toEqual([])
    }
  })
})
