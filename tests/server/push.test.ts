import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mutation } from '../../protocol/mutations'
import { MAX_PUSH_BYTES, type PushResponse } from '../../protocol/sync'
import { ALEX, DANA, jobOf, noteAdd, SAM, startTestServer, type TestServer } from './helpers'

let server: TestServer
let alex: string
let dana: string
let alexJob: { id: string; number: number }
let samJob: { id: string; number: number }

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  alexJob = await jobOf(server, ALEX)
  samJob = await jobOf(server, SAM)
})
afterAll(() => server.close())

function push(cookie: string, deviceId: string, mutations: unknown[]) {
  return server.request(cookie, {
    method: 'POST',
    url: '/api/sync/push',
    payload: { deviceId, mutations },
  })
}

async function notesOf(jobId: string) {
  const res = await server.request(dana, {
    method: 'GET',
    url: `/api/dispatch/jobs/${jobId}/notes`,
  })
  expect(res.statusCode).toBe(200)
  return res.json().notes as Array<{
    id: string
    body: string
    authorId: string
    authorName: string
  }>
}

describe('push', () => {
  it('applies notes in order, written by the session user', async () => {
    const before = await notesOf(alexJob.id)
    const device = randomUUID()
    const batch = [1, 2, 3].map((seq) => noteAdd(alexJob.id, seq, `In order ${seq}`))
    // Distinct times: notes made in the same millisecond have no order of their own (SQLite
    // happens to return them as inserted, PostgreSQL need not).
    const base = Date.now()
    for (const [i, m] of batch.entries()) {
      ;(m.args as { createdAt: string }).createdAt = new Date(base + i).toISOString()
    }
    const res = await push(alex, device, batch)
    expect(res.statusCode).toBe(200)
    const body = res.json() as PushResponse
    expect(body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
    expect(body.results.map((r) => r.seq)).toEqual([1, 2, 3])
    expect(body.gaps).toBeUndefined()

    const after = await notesOf(alexJob.id)
    expect(after).toHaveLength(before.length + 3)
    const added = after.slice(-3)
    expect(added.map((n) => n.body)).toEqual(['In order 1', 'In order 2', 'In order 3'])
    expect(new Set(added.map((n) => n.authorName))).toEqual(new Set(['Alex Rivera']))
    expect(added.map((n) => n.id)).toEqual(batch.map((m) => (m.args as { id: string }).id))
  })

  it('changes nothing when the same batch is pushed twice', async () => {
    const device = randomUUID()
    const batch = [1, 2].map((seq) => noteAdd(alexJob.id, seq))
    const first = await push(alex, device, batch)
    expect(first.json().results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
    ])
    const count = (await notesOf(alexJob.id)).length

    const second = await push(alex, device, batch)
    expect(second.statusCode).toBe(200)
    expect(second.json().results.map((r: { status: string }) => r.status)).toEqual([
      'duplicate',
      'duplicate',
    ])
    expect(await notesOf(alexJob.id)).toHaveLength(count)
  })

  it('resends after a lost answer: applied ids are duplicates, new ones apply', async () => {
    const device = randomUUID()
    const a = noteAdd(alexJob.id, 1)
    const b = noteAdd(alexJob.id, 2)
    await push(alex, device, [a])
    const res = await push(alex, device, [a, b])
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual([
      'duplicate',
      'applied',
    ])
  })

  it("rejects a mutation on another technician's job, and applies the rest", async () => {
    const device = randomUUID()
    const before = await notesOf(samJob.id)
    const batch = [noteAdd(alexJob.id, 1), noteAdd(samJob.id, 2), noteAdd(alexJob.id, 3)]
    const res = await push(alex, device, batch)
    const results = (res.json() as PushResponse).results
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied'])
    expect(results[1]).toMatchObject({
      code: 'forbidden',
      reason: `Job #${samJob.number} is no longer assigned to you.`,
    })
    expect(await notesOf(samJob.id)).toHaveLength(before.length)
  })

  it('rejects a mutation on a job that does not exist', async () => {
    const res = await push(alex, randomUUID(), [noteAdd(randomUUID(), 1)])
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', code: 'not_found' })
  })

  it('rejects invalid args per mutation with the reason', async () => {
    const good = noteAdd(alexJob.id, 1)
    const emptyBody = noteAdd(alexJob.id, 2)
    ;(emptyBody.args as { body: string }).body = '   '
    const badId = {
      ...noteAdd(alexJob.id, 3),
      args: { id: 'nope', jobId: alexJob.id, body: 'x', createdAt: new Date().toISOString() },
    }
    const extra = {
      ...noteAdd(alexJob.id, 4),
      args: { ...noteAdd(alexJob.id, 4).args, color: 'red' },
    }
    const res = await push(alex, randomUUID(), [good, emptyBody, badId, extra])
    const results = (res.json() as PushResponse).results
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected'])
    expect(results[1]).toMatchObject({ code: 'invalid', reason: 'body must not be empty' })
    expect(results[2]).toMatchObject({ code: 'invalid', reason: 'id must be a UUID' })
    expect(results[3]?.code).toBe('invalid')
  })

  it('applies a rejected mutation when it is retried and now valid', async () => {
    const device = randomUUID()
    const m = noteAdd(randomUUID(), 1)
    const first = await push(alex, device, [m])
    expect(first.json().results[0].status).toBe('rejected')
    const fixed = { ...m, args: { ...m.args, jobId: alexJob.id } } as Mutation
    const retry = await push(alex, device, [fixed])
    expect(retry.json().results[0].status).toBe('applied')
    const again = await push(alex, device, [fixed])
    expect(again.json().results[0].status).toBe('duplicate')
  })

  it('rejects a stale seq that arrives after a newer one', async () => {
    const device = randomUUID()
    await push(alex, device, [noteAdd(alexJob.id, 5)])
    const count = (await notesOf(alexJob.id)).length
    const stale = noteAdd(alexJob.id, 4)
    const res = await push(alex, device, [stale])
    expect(res.json().results[0]).toMatchObject({ status: 'rejected', code: 'stale_seq' })
    expect(await notesOf(alexJob.id)).toHaveLength(count)
    // Stays stale on a resend: the outcome is not recorded as a retryable rejection.
    const again = await push(alex, device, [stale])
    expect(again.json().results[0].code).toBe('stale_seq')
  })

  it('reports gaps in the sequence and still applies', async () => {
    const device = randomUUID()
    const res = await push(alex, device, [noteAdd(alexJob.id, 1), noteAdd(alexJob.id, 4)])
    const body = res.json() as PushResponse
    expect(body.results.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect(body.gaps).toEqual([{ after: 1, next: 4 }])
  })

  it('refuses a device id that belongs to another user with 403', async () => {
    const device = randomUUID()
    await push(alex, device, [noteAdd(alexJob.id, 1)])
    const sam = await server.signIn(SAM)
    const res = await push(sam, device, [noteAdd(samJob.id, 2)])
    expect(res.statusCode).toBe(403)
    expect(res.json().error).toBe('forbidden')
  })

  it('refuses a batch out of seq order', async () => {
    const res = await push(alex, randomUUID(), [noteAdd(alexJob.id, 2), noteAdd(alexJob.id, 1)])
    expect(res.statusCode).toBe(400)
    expect(res.json().message).toContain('mutations.1.seq')
  })

  it('refuses an invalid envelope with the path of the problem', async () => {
    const res = await push(alex, 'not-a-uuid', [noteAdd(alexJob.id, 1)])
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({ error: 'invalid_request', message: 'deviceId must be a UUID' })

    const unknown = await push(alex, randomUUID(), [
      { ...noteAdd(alexJob.id, 1), name: 'job.explode' },
    ])
    expect(unknown.json()).toEqual({
      error: 'invalid_request',
      message: 'mutations.0.name is not a known action',
    })

    const empty = await push(alex, randomUUID(), [])
    expect(empty.json().message).toBe('mutations must not be empty')
  })

  it('answers malformed JSON with 400', async () => {
    const res = await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      headers: { 'content-type': 'application/json' },
      payload: '{"deviceId": "x", "mutations": [',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toBe('invalid_json')
  })

  it('answers a body over MAX_PUSH_BYTES with 413', async () => {
    const res = await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        deviceId: randomUUID(),
        mutations: [],
        pad: 'x'.repeat(MAX_PUSH_BYTES),
      }),
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toBe('payload_too_large')
    expect(res.json().message).toContain(String(MAX_PUSH_BYTES))
  })

  it('gives one batch the same outcomes as one mutation at a time (the fast path)', async () => {
    const device = randomUUID()
    const reused = noteAdd(alexJob.id, 1, 'first use of an id')
    const noteId = (reused.args as { id: string }).id
    const labelId = randomUUID()
    const otherJob = await server.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('technician_id', '=', await server.userId(ALEX))
      .where('id', '!=', alexJob.id)
      .executeTakeFirstOrThrow()
    const batch = [
      reused,
      // The same note id again, same job: nothing new (the note exists from this very batch).
      { ...noteAdd(alexJob.id, 2), args: { ...reused.args, body: 'again' } },
      // The same note id on another of Alex's jobs: refused, also within the batch.
      { ...noteAdd(otherJob.id, 3), args: { ...reused.args, jobId: otherJob.id } },
      noteAdd(samJob.id, 4, 'not my job'),
      noteAdd(randomUUID(), 5, 'no such job'),
      // Another kind in between: it runs after the held-back notes are written.
      {
        id: randomUUID(),
        seq: 6,
        name: 'label.create',
        args: { id: labelId, name: 'Fast', color: '#112233' },
        at: new Date().toISOString(),
      },
      {
        id: randomUUID(),
        seq: 7,
        name: 'job.addLabel',
        args: { jobId: alexJob.id, labelId },
        at: new Date().toISOString(),
      },
      noteAdd(alexJob.id, 8, 'after the label'),
    ]
    const res = await push(alex, device, batch)
    expect(res.statusCode).toBe(200)
    const results = (res.json() as PushResponse).results
    expect(results.map((r) => [r.status, 'code' in r ? r.code : undefined])).toEqual([
      ['applied', undefined],
      ['applied', undefined],
      ['rejected', 'conflict'],
      ['rejected', 'forbidden'],
      ['rejected', 'not_found'],
      ['applied', undefined],
      ['applied', undefined],
      ['applied', undefined],
    ])
    const notes = await notesOf(alexJob.id)
    expect(notes.filter((n) => n.id === noteId).map((n) => n.body)).toEqual(['first use of an id'])
    expect(notes.some((n) => n.body === 'after the label')).toBe(true)
    expect((await notesOf(samJob.id)).some((n) => n.body === 'not my job')).toBe(false)
  })

  it('lets a dispatcher add a note to any job', async () => {
    const res = await push(dana, randomUUID(), [noteAdd(samJob.id, 1, 'From the office')])
    expect(res.json().results[0].status).toBe('applied')
    const notes = await notesOf(samJob.id)
    expect(notes.at(-1)).toMatchObject({ body: 'From the office', authorName: 'Dana Brooks' })
  })

  it('rolls the whole batch back on an unexpected error, and the resend applies it', async () => {
    // A trigger makes the second insert fail the way a full disk or a bug would.
    if (server.store === 'postgres') {
      await sql`create function boom() returns trigger language plpgsql as $$
        begin if new.body = 'boom' then raise exception 'boom'; end if; return new; end $$`.execute(
        server.db.kysely,
      )
      await sql`create trigger boom before insert on notes for each row execute function boom()`.execute(
        server.db.kysely,
      )
    } else {
      await sql`create trigger boom before insert on notes when new.body = 'boom'
        begin select raise(abort, 'boom'); end`.execute(server.db.kysely)
    }
    const device = randomUUID()
    const batch = [noteAdd(alexJob.id, 1, 'before boom'), noteAdd(alexJob.id, 2, 'boom')]
    const before = (await notesOf(alexJob.id)).length
    const res = await push(alex, device, batch)
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({
      error: 'internal',
      message: 'Something went wrong on the server.',
    })
    expect(await notesOf(alexJob.id)).toHaveLength(before)
    const processed = await server.db.kysely
      .selectFrom('processed_mutations')
      .select('id')
      .where('device_id', '=', device)
      .execute()
    expect(processed).toEqual([])

    await (server.store === 'postgres'
      ? sql`drop trigger boom on notes`
      : sql`drop trigger boom`
    ).execute(server.db.kysely)
    const retry = await push(alex, device, batch)
    expect(retry.json().results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
    ])
    expect(await notesOf(alexJob.id)).toHaveLength(before + 2)
  })
})
