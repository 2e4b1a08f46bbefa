import { randomUUID } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { PassThrough } from 'node:stream'
import { Kysely, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PushResponse } from '../../protocol/sync'
import { buildApp } from '../../server/app'
import { PostgresBlobStore } from '../../server/blobs/postgres'
import { readConfig } from '../../server/config'
import { connect, type Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import type { Database } from '../../server/db/schema'
import { seedIfEmpty } from '../../server/db/seed/seed'
import { shutdown } from '../../server/shutdown'
import { ALEX, noteAdd, startTestServer, TEST_STORE, type TestServer } from './helpers'
import { createTestDatabase, type TestDatabase } from './stores'

const noMaintenance = {
  first: Promise.resolve({ processedMutations: 0, unattachedUploads: 0 }),
  async stop() {},
}

describe('readiness', () => {
  let server: TestServer
  beforeAll(async () => {
    server = await startTestServer()
  })
  afterAll(() => server.close())

  it('answers ready when the database answers', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/api/ready' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true, database: TEST_STORE })
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('answers 503 when the database does not', async () => {
    // PostgreSQL: nothing listens there. SQLite: a database that cannot be opened.
    const db: Db =
      TEST_STORE === 'postgres'
        ? connect({ url: 'postgres://postgres@127.0.0.1:1/nowhere' })
        : {
            dialect: 'sqlite',
            kysely: new Kysely<Database>({
              dialect: new SqliteDialect({
                database: async () => {
                  throw new Error('unable to open database file')
                },
              }),
            }),
            close: async () => {},
          }
    const app = await buildApp({ db, blobs: server.blobs })
    const res = await app.inject({ method: 'GET', url: '/api/ready' })
    expect(res.statusCode).toBe(503)
    expect(res.json().error).toBe('database_unavailable')
    expect(res.headers['retry-after']).toBe('5')
    await app.close()
    await db.close()
  })
})

describe('request logs', () => {
  it('carry the device id and the batch size of a push, and the rows of a pull', async () => {
    const stream = new PassThrough()
    const lines: Array<Record<string, unknown>> = []
    stream.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line))
    })
    const database = await createTestDatabase()
    try {
      await migrateToLatest(database.db.kysely)
      await seedIfEmpty(database.db.kysely, undefined, database.blobs)
      const app = await buildApp({
        db: database.db,
        blobs: database.blobs,
        logLevel: 'info',
        logStream: stream,
      })
      const signin = await app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        payload: { email: ALEX, password: 'fieldline' },
      })
      const cookie = `fl_session=${signin.cookies.find((c) => c.name === 'fl_session')?.value}`
      const job = await database.db.kysely
        .selectFrom('jobs')
        .select('id')
        .orderBy('number')
        .executeTakeFirstOrThrow()
      const deviceId = randomUUID()
      await app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { cookie },
        payload: { deviceId, mutations: [noteAdd(job.id, 1), noteAdd(job.id, 2)] },
      })
      await app.inject({ method: 'GET', url: '/api/sync/pull', headers: { cookie } })
      await app.close()
      const push = lines.find((l) => l.msg === 'push')
      expect(push).toMatchObject({ deviceId, batch: 2, applied: 2, level: 30 })
      expect(push?.reqId).toEqual(expect.any(String))
      expect(lines.find((l) => l.msg === 'pull')).toMatchObject({ more: false })
      expect(lines.some((l) => l.msg === 'request completed')).toBe(true)
    } finally {
      await database.drop()
    }
  })
})

describe('settings', () => {
  it('reads the pool size, the page size and the demo seed switch, and refuses nonsense', () => {
    expect(readConfig({}).databasePoolMax).toBe(10)
    expect(readConfig({}).pullPageRows).toBe(2000)
    const set = readConfig({ DATABASE_POOL_MAX: '25', PULL_PAGE_ROWS: '500' })
    expect([set.databasePoolMax, set.pullPageRows]).toEqual([25, 500])
    expect(() => readConfig({ DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX/)
    expect(() => readConfig({ PULL_PAGE_ROWS: '5' })).toThrow(/at least 10/)
    expect(() => readConfig({ PULL_PAGE_ROWS: 'lots' })).toThrow(/whole number/)
    expect(readConfig({}).seedDemo).toBe(true)
    expect(readConfig({ SEED_DEMO: 'off' }).seedDemo).toBe(false)
    expect(() => readConfig({ SEED_DEMO: 'no' })).toThrow(/on or off/)
  })
})

/**
 * A push held on the device row lock (taken by the test from another connection) is in flight
 * when the stop begins: it must get its answer, applied, before the instance stops. PostgreSQL
 * only: a SQLite write waiting for a lock blocks the whole Node thread (better-sqlite3 is
 * synchronous), so there is no "in flight" to observe.
 */
describe.runIf(TEST_STORE === 'postgres')('graceful shutdown', () => {
  let database: TestDatabase
  let locker: pg.Client

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    await migrateToLatest(database.db.kysely)
    await seedIfEmpty(database.db.kysely, undefined, database.blobs)
    locker = new pg.Client({ connectionString: database.url })
    await locker.connect()
  })
  afterAll(async () => {
    await locker?.end()
    await database?.drop()
  })

  async function alexJob() {
    return database.db.kysely
      .selectFrom('jobs')
      .innerJoin('users', 'users.id', 'jobs.technician_id')
      .select('jobs.id')
      .where('users.email', '=', ALEX)
      .orderBy('jobs.number', 'desc')
      .executeTakeFirstOrThrow()
  }

  /** An instance of its own (the stop closes its pool), listening on a free port. */
  async function instance() {
    const url = database.url as string
    const db = connect({ url })
    const blobs = new PostgresBlobStore(url, { max: 1 })
    const app = await buildApp({ db, blobs })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    const signin = await app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: ALEX, password: 'fieldline' },
    })
    const cookie = `fl_session=${signin.cookies.find((c) => c.name === 'fl_session')?.value}`
    return { running: { app, db, blobs, maintenance: noMaintenance }, base, cookie }
  }

  async function waitForLockWait(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const { rows } = await locker.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
      )
      if (rows[0].n > 0) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error('the push never waited for the lock')
  }

  it('finishes a push in flight, refuses new work meanwhile, then closes', async () => {
    const { running, base, cookie } = await instance()
    const job = await alexJob()
    const deviceId = randomUUID()
    const post = (seq: number) =>
      fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId, mutations: [noteAdd(job.id, seq, `stop ${seq}`)] }),
      })
    expect((await post(1)).status).toBe(200) // registers the device

    await locker.query('begin')
    await locker.query('select id from devices where id = $1 for update', [deviceId])
    const inFlight = post(2)
    await waitForLockWait()
    let stopped = false
    const stopping = shutdown(running, 10_000).then((clean) => {
      stopped = true
      return clean
    })
    await new Promise((r) => setTimeout(r, 200))
    expect(stopped).toBe(false)
    // No new connections while it drains.
    await expect(fetch(`${base}/api/ready`)).rejects.toThrow()

    await locker.query('rollback')
    const res = await inFlight
    expect(res.status).toBe(200)
    const body = (await res.json()) as PushResponse
    expect(body.results.map((r) => r.status)).toEqual(['applied'])
    expect(await stopping).toBe(true)
    const notes = await database.db.kysely
      .selectFrom('notes')
      .select('body')
      .where('body', 'like', 'stop %')
      .execute()
    expect(notes.map((n) => n.body).sort()).toEqual(['stop 1', 'stop 2'])
  })

  it('gives up after its time limit when a request never ends, and nothing half-applies', async () => {
    const { running, base, cookie } = await instance()
    const job = await alexJob()
    const deviceId = randomUUID()
    const post = (seq: number) =>
      fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ deviceId, mutations: [noteAdd(job.id, seq, `stuck ${seq}`)] }),
      })
    expect((await post(1)).status).toBe(200)
    await locker.query('begin')
    await locker.query('select id from devices where id = $1 for update', [deviceId])
    const inFlight = post(2).catch(() => null)
    await waitForLockWait()
    const started = Date.now()
    expect(await shutdown(running, 500)).toBe(false)
    expect(Date.now() - started).toBeLessThan(3_000)
    // What the caller (main.ts) does next is exit; here the stop goes on once the lock is gone.
    await locker.query('rollback')
    await inFlight
    const notes = await database.db.kysely
      .selectFrom('notes')
      .select('body')
      .where('body', 'like', 'stuck %')
      .execute()
    // Applied wholly or not at all; never a part of a batch.
    expect(notes.length === 1 || notes.length === 2).toBe(true)
  })
})
