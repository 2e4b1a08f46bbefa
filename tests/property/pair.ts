import type { FastifyInstance, InjectOptions } from 'fastify'
import { buildApp } from '../../server/app'
import type { Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { seedIfEmpty } from '../../server/db/seed/seed'
import { ALEX, DANA } from '../server/helpers'
import { createTestDatabase, type TestStore } from '../server/stores'
import { type Catalog, type Pools, poolsOf, readCatalog } from './catalog'

/**
 * The real app twice in one process: on a fresh SQLite file and on a fresh PostgreSQL database,
 * seeded for the same day and sharing one clock, so the same pushes must give the same answers
 * and the same rows. Alex (technician) pushes; Dana (dispatcher) reads whole jobs and uses the
 * office routes.
 */

/** The seed's day and the clock: fixed, so a run does not depend on today's date. */
export const SEED_DATE = '2026-03-02'
const NOON = new Date(2026, 2, 2, 12, 0, 0)

export interface Answer {
  status: number
  body: unknown
  /** What the server logged as the cause of a 500, if anything. */
  errors: string[]
}

export interface Side {
  store: TestStore
  app: FastifyInstance
  db: Db
  /** A request with Alex's (technician) or Dana's (dispatcher) session. */
  as(who: 'alex' | 'dana', options: InjectOptions): Promise<Answer>
}

export interface Pair {
  sides: [Side, Side]
  clock: { now: Date }
  catalog: Catalog
  pools: Pools
  close(): Promise<void>
}

export async function startPair(): Promise<Pair> {
  const clock = { now: NOON }
  const started: Array<{ side: Side; close: () => Promise<void> }> = []
  try {
    for (const store of ['sqlite', 'postgres'] as const) started.push(await startSide(store, clock))
  } catch (error) {
    for (const s of started) await s.close()
    throw error
  }
  const [sqlite, postgres] = started.map((s) => s.side) as [Side, Side]
  const catalog = await readCatalog(sqlite.db.kysely)
  const other = await readCatalog(postgres.db.kysely)
  if (JSON.stringify(catalog) !== JSON.stringify(other)) {
    for (const s of started) await s.close()
    throw new Error('The two stores were seeded with different ids; the pair cannot share them.')
  }
  return {
    sides: [sqlite, postgres],
    clock,
    catalog,
    pools: poolsOf(catalog),
    async close() {
      for (const s of started) await s.close()
    },
  }
}

async function startSide(store: TestStore, clock: { now: Date }) {
  const { db, blobs, drop } = await createTestDatabase(store)
  await migrateToLatest(db.kysely)
  await seedIfEmpty(db.kysely, SEED_DATE, blobs)
  const app = await buildApp({ db, blobs, now: () => clock.now })
  const errors = captureServerErrors(app)

  const signIn = async (email: string) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email, password: 'fieldline' },
    })
    const cookie = res.cookies.find((c) => c.name === 'fl_session')
    if (res.statusCode !== 200 || !cookie)
      throw new Error(`sign-in failed on ${store}: ${res.body}`)
    return `fl_session=${cookie.value}`
  }
  const cookies = { alex: await signIn(ALEX), dana: await signIn(DANA) }

  const side: Side = {
    store,
    app,
    db,
    async as(who, options) {
      const [res, logged] = await errors.during(() =>
        app.inject({ ...options, headers: { ...options.headers, cookie: cookies[who] } }),
      )
      let body: unknown = res.body
      try {
        body = res.json()
      } catch {}
      return { status: res.statusCode, body, errors: logged }
    },
  }
  return {
    side,
    async close() {
      errors.restore()
      await app.close()
      await drop()
    },
  }
}

/**
 * What the server logs for a 500 (its error handler logs the error, then answers a generic
 * "internal"). The apps are built without a logger, and Fastify then gives every request of
 * every app one shared null logger object, so the test wraps its `error` method (once, however
 * many apps) and files what is logged under the request being answered. Requests are therefore
 * sent one at a time (an AsyncLocalStorage does not survive Fastify's inject, so concurrent
 * requests could not be told apart).
 */
let collecting: unknown[] | null = null
let wrapped: {
  log: { error: (...args: unknown[]) => void }
  original: unknown
  users: number
} | null = null

function captureServerErrors(app: FastifyInstance) {
  const log = app.log as unknown as { error: (...args: unknown[]) => void }
  if (!wrapped || wrapped.log !== log) {
    wrapped = { log, original: log.error, users: 0 }
    log.error = (...args: unknown[]) => {
      collecting?.push(args[0])
    }
  }
  wrapped.users++
  return {
    /** Runs a request; returns its result and what was logged while answering it. */
    async during<T>(send: () => Promise<T>): Promise<[T, string[]]> {
      if (collecting) throw new Error('the property harness sends one request at a time')
      const logged: unknown[] = []
      collecting = logged
      try {
        return [await send(), logged.map(describeError)]
      } finally {
        collecting = null
      }
    },
    restore: () => {
      if (wrapped && --wrapped.users === 0) {
        wrapped.log.error = wrapped.original as (...args: unknown[]) => void
        wrapped = null
      }
    },
  }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  return `${error.name}${code ? ` [${String(code)}]` : ''}: ${error.message}`
}
