import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import type { PushResponse } from '../../protocol/sync'
import { startMaintenance } from '../../server/maintenance'
import {
  PROCESSED_KEEP_DAYS,
  PROCESSED_RETENTION_DAYS,
  purgeProcessedMutations,
} from '../../server/sync/purge'
import { ALEX, jobOf, noteAdd, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * Hand-made bad clients: whatever a device sends, the server applies each mutation id at most
 * once, and answers clearly.
 */
let server: TestServer
let alex: string
let job: { id: string; number: number }
let alexId: string

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  job = await jobOf(server, ALEX)
  alexId = await server.userId(ALEX)
})
afterAll(() => server.close())

async function processedIds(device: string) {
  return server.db.kysely
    .selectFrom('processed_mutations')
    .select('id')
    .where('device_id', '=', device)
    .execute()
}

function processedRow(id: string, device: string) {
  return {
    id,
    device_id: device,
    seq: 1,
    user_id: alexId,
    name: 'note.add',
    status: 'applied' as const,
    code: null,
    reason: null,
    args_hash: null,
  }
}

async function stored(body: string): Promise<number> {
  const rows = await server.db.kysely
    .selectFrom('notes')
    .select('id')
    .where('body', '=', body)
    .execute()
  return rows.length
}

describe('a bad client cannot make the server apply anything twice', () => {
  it('concurrent identical pushes apply once: one answer applied, the other duplicate', async () => {
    const device = randomUUID()
    const batch = [noteAdd(job.id, 1, 'concurrent 1'), noteAdd(job.id, 2, 'concurrent 2')]
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => pushAs(server, alex, device, batch)),
    )
    for (const a of answers) expect(a.statusCode).toBe(200)
    const statuses = answers.flatMap((a) => (a.json() as PushResponse).results.map((r) => r.status))
    expect(statuses.filter((s) => s === 'applied')).toHaveLength(2)
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(8)
    expect(await stored('concurrent 1')).toBe(1)
    expect(await stored('concurrent 2')).toBe(1)
  })

  it("the same ids from two of the user's devices at once apply once: one applied, the other duplicate", async () => {
    // Per-device locks do not order these two pushes, so on PostgreSQL the second can read the
    // processed ids before the first commits. Its record INSERT then fails on the key and the
    // batch is run again (sync/push.ts), which reads the first push's records: duplicate.
    const batch = [noteAdd(job.id, 1, 'two devices 1'), noteAdd(job.id, 2, 'two devices 2')]
    const answers = await Promise.all(
      [randomUUID(), randomUUID()].map((device) => pushAs(server, alex, device, batch)),
    )
    for (const a of answers) expect(a.statusCode).toBe(200)
    const statuses = answers.map((a) => (a.json() as PushResponse).results.map((r) => r.status))
    expect(statuses.map((s) => s.join()).sort()).toEqual(['applied,applied', 'duplicate,duplicate'])
    expect(await stored('two devices 1')).toBe(1)
    expect(await stored('two devices 2')).toBe(1)
  })

  it('an id refused once, then pushed from several devices at once, is applied once', async () => {
    // A rejected or conflicting id is evaluated again, and its record replaced by an upsert that
    // no key stops: on PostgreSQL the devices each read "rejected" and each applied it, until
    // the records found are locked for the push (sync/applyBatch.ts).
    for (let round = 0; round < 3; round++) {
      const id = randomUUID()
      const refused = { ...noteAdd(job.id, 1, ''), id } as Mutation
      const first = await pushAs(server, alex, randomUUID(), [refused])
      expect((first.json() as PushResponse).results[0]?.status).toBe('rejected')
      const body = `refused then raced ${round}`
      const retried = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          pushAs(server, alex, randomUUID(), [{ ...noteAdd(job.id, 1, `${body} ${i}`), id }]),
        ),
      )
      const statuses = retried.map((r) => (r.json() as PushResponse).results[0]?.status)
      expect(statuses.filter((s) => s === 'applied')).toHaveLength(1)
      const notes = await server.db.kysely
        .selectFrom('notes')
        .select('id')
        .where('body', 'like', `${body}%`)
        .execute()
      expect(notes).toHaveLength(1)
    }
  })

  it('the same id with different args is refused (id_reused), never answered duplicate: the first version stays', async () => {
    const device = randomUUID()
    const first = noteAdd(job.id, 1, 'original body')
    expect((await pushAs(server, alex, device, [first])).statusCode).toBe(200)
    const forged: Mutation = {
      ...first,
      seq: 2,
      args: { ...(first.args as object), body: 'forged body' },
    } as Mutation
    const res = await pushAs(server, alex, device, [forged])
    const [result] = (res.json() as PushResponse).results
    expect(result?.status).toBe('rejected')
    expect(result?.code).toBe('id_reused')
    expect(result?.reason).toMatch(/Retry sends it again under a new id/)
    // The genuine resend (same args) is still a duplicate.
    const resend = await pushAs(server, alex, device, [{ ...first, seq: 3 }])
    expect((resend.json() as PushResponse).results[0]?.status).toBe('duplicate')
    expect(await stored('original body')).toBe(1)
    expect(await stored('forged body')).toBe(0)
  })

  it('an old batch replayed after newer ones: duplicates, nothing re-applied, order kept', async () => {
    const device = randomUUID()
    const a = [noteAdd(job.id, 1, 'replay a1'), noteAdd(job.id, 2, 'replay a2')]
    const b = [noteAdd(job.id, 3, 'replay b1')]
    await pushAs(server, alex, device, a)
    await pushAs(server, alex, device, b)
    const again = await pushAs(server, alex, device, a)
    expect((again.json() as PushResponse).results.map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
    ])
    for (const body of ['replay a1', 'replay a2', 'replay b1']) expect(await stored(body)).toBe(1)
  })

  it('a never-seen seq below the last one is refused as stale, on every resend, and says why', async () => {
    const device = randomUUID()
    await pushAs(server, alex, device, [noteAdd(job.id, 5, 'stale later')])
    const late = noteAdd(job.id, 3, 'stale earlier')
    for (let i = 0; i < 2; i++) {
      const r = (await pushAs(server, alex, device, [late])).json() as PushResponse
      expect(r.results[0]).toMatchObject({ status: 'rejected', code: 'stale_seq' })
      expect(r.results[0]?.reason).toMatch(/arrived after action 5/)
    }
    expect(await stored('stale earlier')).toBe(0)
  })

  it('reordered seqs in one batch are refused whole with 400 and nothing applies', async () => {
    const device = randomUUID()
    const res = await pushAs(server, alex, device, [
      noteAdd(job.id, 2, 'reordered 2'),
      noteAdd(job.id, 1, 'reordered 1'),
    ])
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toMatch(/seq must be greater/)
    expect(await stored('reordered 2')).toBe(0)
  })

  it('the same id twice in one batch applies once', async () => {
    const device = randomUUID()
    const m = noteAdd(job.id, 1, 'twice in a batch')
    const res = await pushAs(server, alex, device, [m, { ...m, seq: 2 }])
    expect(res.statusCode).toBe(200)
    expect((res.json() as PushResponse).results.map((r) => r.status)).toEqual([
      'applied',
      'duplicate',
    ])
    expect(await stored('twice in a batch')).toBe(1)
  })

  it('reports gaps in a device sequence, and still applies', async () => {
    const device = randomUUID()
    await pushAs(server, alex, device, [noteAdd(job.id, 1, 'gap 1')])
    const res = (
      await pushAs(server, alex, device, [noteAdd(job.id, 4, 'gap 4')])
    ).json() as PushResponse
    expect(res.gaps).toEqual([{ after: 1, next: 4 }])
    expect(await stored('gap 4')).toBe(1)
  })
})

describe('processed-mutation records outlive the longest offline period', () => {
  it('keeps them at least 30 days (the device keeps data 30 days), then purges', async () => {
    expect(PROCESSED_RETENTION_DAYS).toBeGreaterThanOrEqual(30)
    const device = randomUUID()
    const m = noteAdd(job.id, 1, 'remembered')
    await pushAs(server, alex, device, [m])
    const day = 86_400_000
    const in31Days = new Date(Date.now() + 31 * day)
    await purgeProcessedMutations(server.db.kysely, in31Days)
    // After a purge run a month later, a resend (a device offline all that time) is still a
    // duplicate. (The clock itself is not moved: the 30-day session would have expired.)
    const again = (await pushAs(server, alex, device, [m])).json() as PushResponse
    expect(again.results[0]?.status).toBe('duplicate')
    expect(await stored('remembered')).toBe(1)
    const later = new Date(Date.now() + (PROCESSED_KEEP_DAYS + 1) * day)
    expect(await purgeProcessedMutations(server.db.kysely, later)).toBeGreaterThan(0)
    const left = await server.db.kysely
      .selectFrom('processed_mutations')
      .select('id')
      .where('id', '=', m.id)
      .execute()
    expect(left).toHaveLength(0)
  })

  it('the purge runs at start and on a schedule; a batch replayed after it is refused too_old, never applied twice', async () => {
    const device = randomUUID()
    const m = noteAdd(job.id, 1, 'replayed after the purge')
    await pushAs(server, alex, device, [m])
    const day = 86_400_000
    const later = new Date(Date.now() + (PROCESSED_KEEP_DAYS + 1) * day)
    const log = { error: () => {} }
    const maintenance = startMaintenance(server.db.kysely, server.blobs, () => later, log, 50)
    try {
      expect((await maintenance.first).processedMutations).toBeGreaterThan(0)
      // Rows older than the horizon written after the first run go on the next scheduled one.
      await server.db.kysely
        .insertInto('processed_mutations')
        .values({ ...processedRow(m.id, device), processed_at: new Date(0).toISOString() })
        .execute()
      await expect.poll(async () => (await processedIds(device)).length, { timeout: 2_000 }).toBe(0)
    } finally {
      maintenance.stop()
    }

    // The captured batch, replayed under a new device id once its ids are forgotten.
    server.clock.now = later
    try {
      const session = await server.signIn(ALEX)
      const replay = (await pushAs(server, session, randomUUID(), [m])).json() as PushResponse
      expect(replay.results[0]).toMatchObject({ status: 'rejected', code: 'too_old' })
      expect(await stored('replayed after the purge')).toBe(1)
    } finally {
      server.clock.now = new Date()
    }
  })

  it('a batch replayed after the purge is too_old every time, not only the first', async () => {
    const device = randomUUID()
    const body = `replayed twice ${randomUUID()}`
    const m = noteAdd(job.id, 1, body)
    // A session of its own: the scheduled purge above ran with its clock months ahead.
    const first = await pushAs(server, await server.signIn(ALEX), device, [m])
    expect(first.json().results[0].status, first.body).toBe('applied')
    const later = new Date(Date.now() + (PROCESSED_KEEP_DAYS + 5) * 86_400_000)
    expect(await purgeProcessedMutations(server.db.kysely, later)).toBeGreaterThan(0)
    server.clock.now = later
    try {
      const session = await server.signIn(ALEX)
      // The first replay's refusal is recorded (rejected); that record must not make the id one
      // "evaluated again" that skips the horizon. Nor may the same id sent with other args first.
      const other = { ...m, args: { ...m.args, body: `${body} (other)` } } as Mutation
      for (const replay of [m, m, other, m]) {
        const res = (await pushAs(server, session, randomUUID(), [replay])).json() as PushResponse
        expect(res.results[0]).toMatchObject({ status: 'rejected', code: 'too_old' })
      }
      expect(await stored(body)).toBe(1)
    } finally {
      server.clock.now = new Date()
    }
  })
})
