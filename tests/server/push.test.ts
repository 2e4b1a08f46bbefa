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

/** A trigger on notes that fails inserts of a note whose body ends in 'boom'. */
async function addTrigger(name: string, postgres: string, sqlite: string) {
  if (server.store === 'postgres') {
    await sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$
      begin if new.body like '%boom' then ${postgres}; end if; return new; end $$`)
      .execute(server.db.kysely)
    await sql
      .raw(`create trigger boom before insert on notes for each row execute function ${name}()`)
      .execute(server.db.kysely)
  } else {
    await sql
      .raw(`create trigger boom before insert on notes when new.body like '%boom'
      begin select ${sqlite}; end`)
      .execute(server.db.kysely)
  }
}

async function dropTrigger() {
  await (server.store === 'postgres'
    ? sql`drop trigger boom on notes`
    : sql`drop trigger boom`
  ).execute(server.db.kysely)
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
      reason: 'This job is no longer assigned to you.',
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

  it('records a batch of new ids and of ids rejected before: one record each, the retried ones replaced', async () => {
    const device = randomUUID()
    const before = [noteAdd(randomUUID(), 1), noteAdd(randomUUID(), 3)]
    const first = await push(alex, device, before)
    expect(first.json().results.map((r: { status: string }) => r.status)).toEqual([
      'rejected',
      'rejected',
    ])
    const retried = before.map((m) => ({ ...m, args: { ...m.args, jobId: alexJob.id } }))
    const batch = [...retried, noteAdd(alexJob.id, 5), noteAdd(alexJob.id, 6)]
    const second = await push(alex, device, batch)
    expect(second.json().results.map((r: { status: string }) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
    ])
    const rows = await server.db.kysely
      .selectFrom('processed_mutations')
      .select(['id', 'status', 'code'])
      .where('device_id', '=', device)
      .execute()
    expect(rows).toHaveLength(4)
    for (const row of rows) expect(row).toMatchObject({ status: 'applied', code: null })
    const again = await push(alex, device, batch)
    expect(again.json().results.map((r: { status: string }) => r.status)).toEqual([
      'duplicate',
      'duplicate',
      'duplicate',
      'duplicate',
    ])
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

    // What names the action (id, seq) is checked for the whole push; the rest per action
    // (envelope.test.ts).
    const badId = await push(alex, randomUUID(), [{ ...noteAdd(alexJob.id, 1), id: 'x' }])
    expect(badId.json()).toEqual({
      error: 'invalid_request',
      message: 'mutations.0.id must be a UUID',
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

  it('answers a __proto__ or constructor.prototype key with 400 naming it, not "not valid JSON"', async () => {
    const note = (args: string) =>
      `{"deviceId":"${randomUUID()}","mutations":[{"id":"${randomUUID()}","seq":1,"name":"note.add","at":"2026-01-01T00:00:00.000Z","args":${args}}]}`
    for (const args of ['{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}']) {
      const res = await server.request(alex, {
        method: 'POST',
        url: '/api/sync/push',
        headers: { 'content-type': 'application/json' },
        payload: note(args),
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toBe('forbidden_key')
      expect(res.json().message).toContain('__proto__')
    }
    // Nothing of the kind was applied anywhere: Object.prototype is untouched.
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('a push with no body at all is told what to send', async () => {
    const res = await server.request(alex, { method: 'POST', url: '/api/sync/push' })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message:
        'The body is missing or was not sent as JSON: send a JSON object with Content-Type: application/json.',
    })
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
      // The same note again (same id, job, text and time) under another action id: nothing new
      // (the note exists from this very batch). Other text under that id is refused (property
      // tests: a create answered applied must be what the server holds).
      { ...noteAdd(alexJob.id, 2), args: { ...reused.args } },
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

  it('an unexpected error in one mutation rejects only it (internal); the rest apply; Retry applies it', async () => {
    // A trigger makes one insert fail the way a bug or an unforeseen constraint would.
    await addTrigger('boom', "raise exception 'boom'", "raise(abort, 'boom')")
    const device = randomUUID()
    const batch = [
      noteAdd(alexJob.id, 1, 'first of three'),
      noteAdd(alexJob.id, 2, 'boom'),
      noteAdd(alexJob.id, 3, 'last of three'),
    ]
    const before = (await notesOf(alexJob.id)).length
    const res = await push(alex, device, batch)
    expect(res.statusCode).toBe(200)
    const results = (res.json() as PushResponse).results
    expect(results.map((r) => [r.status, r.code])).toEqual([
      ['applied', undefined],
      ['rejected', 'internal'],
      ['applied', undefined],
    ])
    expect(results[1]?.reason).toMatch(/your other actions went on/)
    const bodies = (await notesOf(alexJob.id)).map((n) => n.body)
    expect(bodies).toHaveLength(before + 2)
    expect(bodies).not.toContain('boom')

    // The cause goes away; the technician taps Retry: the same id is sent again and applies.
    await dropTrigger()
    const retry = await push(alex, device, [{ ...batch[1], seq: 4 }])
    expect((retry.json() as PushResponse).results.map((r) => r.status)).toEqual(['applied'])
    expect(await notesOf(alexJob.id)).toHaveLength(before + 3)
  })

  it("the database's own failure (disk full) answers the whole batch 503 with Retry-After; nothing applies", async () => {
    // PostgreSQL: a trigger raising SQLSTATE 53100 (disk_full). SQLite: a real full disk, by
    // capping the database at the pages it has now.
    let restore: () => Promise<void>
    if (server.store === 'postgres') {
      await addTrigger('disk_full', "raise exception 'disk full' using errcode = 'disk_full'", '')
      restore = dropTrigger
    } else {
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(server.db.kysely)
      const count = pages.rows[0]?.page_count as number
      await sql.raw(`pragma max_page_count = ${count}`).execute(server.db.kysely)
      restore = async () => {
        await sql.raw('pragma max_page_count = 1073741823').execute(server.db.kysely)
      }
    }
    const device = randomUUID()
    const long = 'x'.repeat(9_000)
    const batch = Array.from({ length: 40 }, (_, i) =>
      noteAdd(alexJob.id, i + 1, `${long} ${i} disk boom`),
    )
    const before = (await notesOf(alexJob.id)).length
    const res = await push(alex, device, batch)
    await restore()
    expect(res.statusCode).toBe(503)
    expect(res.headers['retry-after']).toBe('10')
    expect(res.json().error).toBe('store_unavailable')
    expect(await notesOf(alexJob.id)).toHaveLength(before)

    const again = await push(alex, device, batch)
    expect((again.json() as PushResponse).results.every((r) => r.status === 'applied')).toBe(true)
  })
})
