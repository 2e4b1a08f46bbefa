import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { MutationResult, PushResponse } from '../../protocol/sync'
import {
  CLOCK_AHEAD_ALLOWANCE_DAYS,
  PROCESSED_RETENTION_DAYS,
  purgeProcessedMutations,
} from '../../server/sync/purge'
import { ALEX, jobOf, noteAdd, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * `too_old` (applyBatch.ts) compares the action's own `at` with the server's clock: an action
 * stamped far ahead, applied and then replayed once its id is purged, was still "recent" and
 * applied again. An action dated more than CLOCK_AHEAD_ALLOWANCE_DAYS ahead is refused
 * `clock_ahead` on its own, and records are kept that much longer than the too_old horizon, so
 * one dated inside the allowance is a duplicate until it is too_old.
 */

const DAY = 86_400_000
let server: TestServer
let job: { id: string; number: number }
const start = new Date()

beforeAll(async () => {
  server = await startTestServer()
  server.clock.now = start
  job = await jobOf(server, ALEX)
})
afterAll(() => server.close())

const dated = (body: string, seq: number, at: number): Mutation => ({
  ...noteAdd(job.id, seq, body),
  at: new Date(at).toISOString(),
})

async function push(mutations: Mutation[], device = randomUUID()): Promise<MutationResult[]> {
  // A session of the moment: the clock moves further than a session lasts.
  const res = await pushAs(server, await server.signIn(ALEX), device, mutations)
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as PushResponse).results
}

async function stored(body: string): Promise<number> {
  const rows = await server.db.kysely
    .selectFrom('notes')
    .where('body', '=', body)
    .select('id')
    .execute()
  return rows.length
}

describe('an action dated ahead of the server clock', () => {
  it('beyond the allowance: refused clock_ahead alone, nothing applied, the note behind applies', async () => {
    const body = `from the future ${randomUUID()}`
    const ahead = start.getTime() + (CLOCK_AHEAD_ALLOWANCE_DAYS * DAY + 60_000)
    const [refused, behind] = await push([
      dated(body, 1, ahead),
      noteAdd(job.id, 2, `behind ${randomUUID()}`),
    ])
    expect(refused).toMatchObject({ status: 'rejected', code: 'clock_ahead' })
    expect(refused?.reason).toMatch(
      new RegExp(`more than ${CLOCK_AHEAD_ALLOWANCE_DAYS} days ahead of the server's clock`),
    )
    expect(behind?.status).toBe('applied')
    expect(await stored(body)).toBe(0)
  })

  it('stamped 200 days ahead and replayed after the purge: never applied twice', async () => {
    const body = `captured ${randomUUID()}`
    const m = dated(body, 1, start.getTime() + 200 * DAY)
    await push([m])
    const later = new Date(start.getTime() + (PROCESSED_RETENTION_DAYS + 5) * DAY)
    await purgeProcessedMutations(server.db.kysely, later)
    server.clock.now = later
    try {
      const [replay] = await push([m])
      expect(replay?.status).toBe('rejected')
      expect(await stored(body)).toBe(0)
    } finally {
      server.clock.now = start
    }
  })

  it('inside the allowance: applied, a duplicate until the purge, too_old after it', async () => {
    const body = `a little ahead ${randomUUID()}`
    const m = dated(body, 1, start.getTime() + CLOCK_AHEAD_ALLOWANCE_DAYS * DAY - 60_000)
    expect((await push([m]))[0]?.status).toBe('applied')
    // Every day from the too_old horizon to past the records' keep: a replay applies nothing.
    for (let day = PROCESSED_RETENTION_DAYS; day <= PROCESSED_RETENTION_DAYS + 4; day++) {
      const at = new Date(start.getTime() + day * DAY + 1000)
      await purgeProcessedMutations(server.db.kysely, at)
      server.clock.now = at
      try {
        const [replay] = await push([m])
        expect(['duplicate', 'rejected'], `day ${day}`).toContain(replay?.status)
        if (replay?.status === 'rejected') expect(replay.code).toBe('too_old')
        expect(await stored(body), `day ${day}`).toBe(1)
      } finally {
        server.clock.now = start
      }
    }
  })
})
