import { randomUUID } from 'node:crypto'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Mutation } from '../../protocol/mutations'
import { buildApp } from '../../server/app'
import type { BlobStore } from '../../server/blobs/store'
import type { Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { DEMO_USERS } from '../../server/db/seed/demoUsers'
import { seedIfEmpty } from '../../server/db/seed/seed'
import { createTestDatabase, TEST_STORE, type TestStore } from './stores'

export { TEST_STORE, type TestStore }

export const [ALEX, SAM, JORDAN, DANA] = DEMO_USERS.map((u) => u.email) as [
  string,
  string,
  string,
  string,
]

export interface TestServer {
  app: FastifyInstance
  db: Db
  blobs: BlobStore
  store: TestStore
  /** The postgres:// URL of the test database (PostgreSQL only), e.g. for a second instance. */
  url?: string
  /** The app's clock; assign to move time. */
  clock: { now: Date }
  signIn(email: string): Promise<string>
  userId(email: string): Promise<string>
  /** inject() with the session cookie of `cookie` (from signIn). */
  request(cookie: string | null, options: InjectOptions): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/**
 * The real app on a fresh, seeded database of the store this test run is for (TEST_STORE): a
 * SQLite file in a temporary folder, or a PostgreSQL database of its own (see stores.ts).
 */
export async function startTestServer(
  options: {
    staticDir?: string
    trustProxy?: string[]
    pullPageRows?: number
    eventsHeartbeatMs?: number
  } = {},
): Promise<TestServer> {
  const { db, blobs, store, url, drop } = await createTestDatabase()
  await migrateToLatest(db.kysely)
  await seedIfEmpty(db.kysely, undefined, blobs)
  const clock = { now: new Date() }
  const app = await buildApp({ db, blobs, now: () => clock.now, ...options })

  const request: TestServer['request'] = (cookie, opts) =>
    injectAnswer(app, { ...opts, headers: { ...opts.headers, ...(cookie ? { cookie } : {}) } })

  return {
    app,
    db,
    blobs,
    store,
    url,
    clock,
    request,
    async signIn(email) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/signin',
        payload: { email, password: 'fieldline' },
      })
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`)
      const cookie = res.cookies.find((c) => c.name === 'fl_session')
      if (!cookie) throw new Error('no session cookie')
      return `fl_session=${cookie.value}`
    },
    async userId(email) {
      const row = await db.kysely
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
      return row.id
    },
    async close() {
      await app.close()
      await drop()
    },
  }
}

/** A note.add mutation for a push. */
export function noteAdd(jobId: string, seq: number, body = `Note ${seq}`): Mutation {
  const at = new Date().toISOString()
  return {
    id: randomUUID(),
    seq,
    name: 'note.add',
    args: { id: randomUUID(), jobId, body, createdAt: at },
    at,
  }
}

/** A job of the technician that is in their sync window today. */
export async function jobOf(
  server: TestServer,
  email: string,
): Promise<{ id: string; number: number }> {
  const technicianId = await server.userId(email)
  return server.db.kysely
    .selectFrom('jobs')
    .select(['id', 'number'])
    .where('technician_id', '=', technicianId)
    .orderBy('number', 'desc')
    .executeTakeFirstOrThrow()
}

/** Any mutation for a push, with a fresh id; `at` is now. */
export function mutation<N extends Mutation['name']>(
  name: N,
  args: Extract<Mutation, { name: N }>['args'],
  seq: number,
  id: string = randomUUID(),
): Mutation {
  return { id, seq, name, args, at: new Date().toISOString() } as Mutation
}

/** POST /api/sync/push. */
export function pushAs(server: TestServer, cookie: string, deviceId: string, mutations: unknown[]) {
  return server.request(cookie, {
    method: 'POST',
    url: '/api/sync/push',
    payload: { deviceId, mutations },
  })
}

/**
 * The seed's "rich" job: the job of Alex's first appointment starting today (local day), which
 * has photos, a PDF, an estimate, an invoice with a payment, a signature, labels and a form.
 */
export async function richJob(server: TestServer): Promise<{ id: string; number: number }> {
  const alexId = await server.userId(ALEX)
  const now = new Date()
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
  // Only the rich job has a signed estimate. Without that filter, an appointment a test made
  // early today (after midnight, before the seeded 08:00 one) would be "the first".
  return server.db.kysely
    .selectFrom('appointments')
    .innerJoin('jobs', 'jobs.id', 'appointments.job_id')
    .select(['jobs.id', 'jobs.number'])
    .where('jobs.technician_id', '=', alexId)
    .where('appointments.starts_at', '>=', midnight)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('signatures')
          .select('signatures.id')
          .whereRef('signatures.job_id', '=', 'jobs.id')
          .where('signatures.subject_type', '=', 'estimate'),
      ),
    )
    .orderBy('appointments.starts_at')
    .executeTakeFirstOrThrow()
}

/**
 * inject(), except that the event stream (GET /api/sync/events) answers with its status, headers
 * and first chunk: a 200 stream never ends by itself, so a plain inject() would wait forever. The
 * stream stays open on the server until the app closes (which ends every stream).
 */
export async function injectAnswer(
  app: FastifyInstance,
  opts: InjectOptions,
): Promise<LightMyRequestResponse> {
  if (typeof opts.url !== 'string' || !opts.url.startsWith('/api/sync/events')) {
    return app.inject(opts)
  }
  const res = await app.inject({ ...opts, payloadAsStream: true })
  const stream = res.stream()
  let body = ''
  if (res.statusCode === 200) {
    const first = await stream[Symbol.asyncIterator]().next()
    body = first.done ? '' : String(first.value)
    stream.destroy()
  } else {
    for await (const chunk of stream) body += String(chunk)
  }
  return {
    ...res,
    statusCode: res.statusCode,
    headers: res.headers,
    body,
    payload: body,
    json: () => JSON.parse(body),
  } as LightMyRequestResponse
}
