import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Mutation } from '../../protocol/mutations'
import { buildApp } from '../../server/app'
import { connect, type Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { DEMO_USERS } from '../../server/db/seed/demoUsers'
import { seedIfEmpty } from '../../server/db/seed/seed'

export const [ALEX, SAM, JORDAN, DANA] = DEMO_USERS.map((u) => u.email) as [
  string,
  string,
  string,
  string,
]

export interface TestServer {
  app: FastifyInstance
  db: Db
  /** The app's clock; assign to move time. */
  clock: { now: Date }
  signIn(email: string): Promise<string>
  userId(email: string): Promise<string>
  /** inject() with the session cookie of `cookie` (from signIn). */
  request(cookie: string | null, options: InjectOptions): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

/** The real app on a fresh, seeded SQLite file in a temporary folder. */
export async function startTestServer(
  options: { staticDir?: string; trustProxy?: boolean } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'fieldline-test-'))
  const db = connect({ file: join(dir, 'test.sqlite') })
  await migrateToLatest(db.kysely)
  await seedIfEmpty(db.kysely)
  const clock = { now: new Date() }
  const app = await buildApp({ db, now: () => clock.now, ...options })

  const request: TestServer['request'] = (cookie, opts) =>
    app.inject({ ...opts, headers: { ...opts.headers, ...(cookie ? { cookie } : {}) } })

  return {
    app,
    db,
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
      await db.close()
      await rm(dir, { recursive: true, force: true })
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
