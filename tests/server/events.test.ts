import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app'
import { connect, type Db } from '../../server/db/connect'
import { COALESCE_MS, MAX_STREAMS_PER_USER } from '../../server/live/routes'
import {
  ALEX,
  DANA,
  JORDAN,
  jobOf,
  noteAdd,
  pushAs,
  SAM,
  startTestServer,
  TEST_STORE,
  type TestServer,
} from './helpers'

/** An open event stream read over real HTTP (inject() cannot hold a stream open). */
class Stream {
  text = ''
  ended = false
  private readonly abort = new AbortController()
  private constructor(readonly status: number) {}

  static async open(base: string, cookie: string | null): Promise<Stream> {
    const abort = new AbortController()
    const res = await fetch(`${base}/api/sync/events`, {
      headers: cookie ? { cookie } : {},
      signal: abort.signal,
    })
    const stream = new Stream(res.status)
    ;(stream as unknown as { abort: AbortController }).abort = abort
    if (res.status === 200 && res.body) {
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader()
      void (async () => {
        try {
          for (;;) {
            const { done, value } = await reader.read()
            if (done) break
            stream.text += value
          }
        } catch {
          // aborted
        }
        stream.ended = true
      })()
    } else {
      stream.text = await res.text()
      stream.ended = true
    }
    return stream
  }

  get changed(): number {
    return this.text.split('event: changed\n').length - 1
  }

  async until(check: () => boolean, ms = 5_000): Promise<number> {
    const start = Date.now()
    while (!check()) {
      if (Date.now() - start > ms) throw new Error(`timed out; stream so far: ${this.text}`)
      await new Promise((r) => setTimeout(r, 10))
    }
    return Date.now() - start
  }

  close(): void {
    this.abort.abort()
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('GET /api/sync/events', () => {
  let server: TestServer
  let base: string
  let alex: string
  let sam: string
  let dana: string
  let jordan: string
  let alexJob: { id: string }
  const open: Stream[] = []
  const stream = async (cookie: string | null) => {
    const s = await Stream.open(base, cookie)
    open.push(s)
    return s
  }

  beforeAll(async () => {
    server = await startTestServer({ eventsHeartbeatMs: 200 })
    base = await server.app.listen({ port: 0, host: '127.0.0.1' })
    alex = await server.signIn(ALEX)
    sam = await server.signIn(SAM)
    dana = await server.signIn(DANA)
    jordan = await server.signIn(JORDAN)
    alexJob = await jobOf(server, ALEX)
  })
  afterAll(async () => {
    for (const s of open) s.close()
    await server.close()
  })

  const addAppointment = (jobId: string) => {
    const start = new Date(Date.now() + 3_600_000)
    return server.request(dana, {
      method: 'POST',
      url: '/api/dispatch/appointments',
      payload: {
        jobId,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      },
    })
  }

  it('answers HEAD at once with 405, holding no stream place', async () => {
    for (let i = 0; i < MAX_STREAMS_PER_USER + 2; i++) {
      const res = await fetch(`${base}/api/sync/events`, {
        method: 'HEAD',
        headers: { cookie: jordan },
        signal: AbortSignal.timeout(5_000),
      })
      expect(res.status).toBe(405)
      expect(res.headers.get('allow')).toBe('GET')
    }
    const s = await stream(jordan)
    expect(s.status).toBe(200)
    s.close()
  })

  it('answers 401 without a session', async () => {
    const s = await stream(null)
    expect(s.status).toBe(401)
    expect(JSON.parse(s.text)).toMatchObject({ error: 'unauthenticated' })
  })

  it('is an event stream that is not cached, and sends heartbeats while nothing changes', async () => {
    const res = await fetch(`${base}/api/sync/events`, { headers: { cookie: alex } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(res.headers.get('cache-control')).toContain('no-store')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    await res.body?.cancel()

    const s = await stream(alex)
    await s.until(() => s.text.split(': ping\n\n').length - 1 >= 2)
    expect(s.changed).toBe(0)
    s.close()
  })

  it("signals the technician's streams (and the office's) after another device's push, not other technicians'", async () => {
    const mine = await stream(alex)
    const other = await stream(sam)
    const office = await stream(dana)
    await sleep(100)
    const res = await pushAs(server, alex, randomUUID(), [noteAdd(alexJob.id, 1)])
    expect(res.json().results[0].status).toBe('applied')
    await mine.until(() => mine.changed === 1)
    await office.until(() => office.changed === 1)
    await sleep(400)
    expect(other.changed).toBe(0)
    expect(mine.changed).toBe(1)
    for (const s of [mine, other, office]) s.close()
  })

  it("signals the job's technician after a dispatcher adds an appointment, and coalesces a burst", async () => {
    const mine = await stream(alex)
    const other = await stream(sam)
    try {
      await sleep(100)
      expect((await addAppointment(alexJob.id)).statusCode).toBe(201)
      await mine.until(() => mine.changed === 1)
      // Five more writes at once: at most one signal per COALESCE_MS, and one after the last.
      // On a quiet machine the five commit within one window (two signals at most); on a busy
      // one they spread out (PostgreSQL takes them in turn), and the bound grows with them.
      const started = performance.now()
      await Promise.all([1, 2, 3, 4, 5].map(() => addAppointment(alexJob.id)))
      const windows = Math.floor((performance.now() - started + COALESCE_MS) / COALESCE_MS)
      await mine.until(() => mine.changed >= 2)
      await sleep(600)
      expect(mine.changed - 1).toBeLessThanOrEqual(Math.min(windows + 1, 5))
      expect(other.changed).toBe(0)
    } finally {
      // Closed even when an assertion fails: a stream left open counts against Sam's limit below.
      mine.close()
      other.close()
    }
  })

  it('ends a stream within a heartbeat once its session is signed out; other sessions keep theirs', async () => {
    const leaving = await server.signIn(SAM)
    const staying = await server.signIn(SAM)
    const ended = await stream(leaving)
    const kept = await stream(staying)
    expect([ended.status, kept.status]).toEqual([200, 200])
    const out = await server.request(leaving, { method: 'POST', url: '/api/auth/signout' })
    expect(out.statusCode).toBeLessThan(300)
    await ended.until(() => ended.ended, 2_000)
    // Its reconnection is refused; the other session's stream goes on beating.
    expect((await stream(leaving)).status).toBe(401)
    const beats = kept.text.split(': ping').length
    await kept.until(() => kept.text.split(': ping').length > beats + 1)
    expect(kept.ended).toBe(false)
    kept.close()
  })

  it(`refuses more than ${MAX_STREAMS_PER_USER} streams per user with 429`, async () => {
    const streams = []
    for (let i = 0; i < MAX_STREAMS_PER_USER; i++) streams.push(await stream(sam))
    expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_USER).fill(200))
    const refused = await stream(sam)
    expect(refused.status).toBe(429)
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'too_many_streams' })
    // Another user is not affected; closing one frees a place.
    expect((await stream(alex)).status).toBe(200)
    streams[0]?.close()
    await sleep(200)
    expect((await stream(sam)).status).toBe(200)
  })
})

describe('event streams and shutdown', () => {
  it('closes open streams when the app closes, without waiting', async () => {
    const server = await startTestServer()
    const base = await server.app.listen({ port: 0, host: '127.0.0.1' })
    const s = await Stream.open(base, await server.signIn(ALEX))
    expect(s.status).toBe(200)
    const started = Date.now()
    await server.app.close()
    await s.until(() => s.ended, 5_000)
    expect(Date.now() - started).toBeLessThan(5_000)
    await server.close()
  })
})

describe.runIf(TEST_STORE === 'postgres')('two instances on one PostgreSQL', () => {
  let a: TestServer
  let b: FastifyInstance
  let dbB: Db
  let cookieB: string
  let stream: Stream
  let jobId: string

  beforeAll(async () => {
    a = await startTestServer()
    dbB = connect({ url: a.url })
    b = await buildApp({ db: dbB, blobs: a.blobs })
    const sign = await b.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: DANA, password: 'fieldline' },
    })
    cookieB = `fl_session=${sign.cookies.find((c) => c.name === 'fl_session')?.value}`
    jobId = (await jobOf(a, ALEX)).id
    const base = await a.app.listen({ port: 0, host: '127.0.0.1' })
    stream = await Stream.open(base, await a.signIn(ALEX))
    await sleep(300) // the LISTEN connection opens with the first stream
  })
  afterAll(async () => {
    stream?.close()
    await b?.close()
    await dbB?.close()
    await a?.close()
  })

  const writeOnB = async () => {
    const start = new Date(Date.now() + 3_600_000)
    const res = await b.inject({
      method: 'POST',
      url: '/api/dispatch/appointments',
      headers: { cookie: cookieB },
      payload: {
        jobId,
        startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 3_600_000).toISOString(),
      },
    })
    expect(res.statusCode).toBe(201)
  }

  it('a write on one instance wakes a stream held by the other (LISTEN/NOTIFY)', async () => {
    await writeOnB()
    const ms = await stream.until(() => stream.changed === 1)
    expect(ms).toBeLessThan(2_000)
  })

  it('the LISTEN connection comes back after it is cut, and the stream is told to pull once', async () => {
    const killed = await sql<{ pid: number }>`
      select pg_terminate_backend(pid) as pid from pg_stat_activity
      where datname = current_database() and query ilike 'listen %'`.execute(a.db.kysely)
    expect(killed.rows).toHaveLength(1)
    // Reconnected after ~1 s: signals may have been missed meanwhile, so one catch-up signal.
    await stream.until(() => stream.changed === 2)
    await writeOnB()
    await stream.until(() => stream.changed === 3)
  })
})
