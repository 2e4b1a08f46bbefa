// @ts-check
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { JORDAN, PG_ADMIN_URL, PUSH_BATCH } from '../lib/options.mjs'
import { startServer } from '../lib/server.mjs'
import { percentile, round } from '../lib/util.mjs'

/**
 * What serverPush reads from the server's database, whichever it is.
 * @typedef {{ store: 'sqlite' | 'postgres', jobOf(email: string): Promise<string>, countNotes(prefix: string): Promise<number> }} PushQueries
 */

/** @param {import('better-sqlite3').Database} db @returns {PushQueries} */
export function sqliteQueries(db) {
  return {
    store: 'sqlite',
    async jobOf(email) {
      const sql =
        'SELECT j.id FROM jobs j JOIN users u ON u.id = j.technician_id WHERE u.email = ? LIMIT 1'
      return /** @type {{ id: string }} */ (db.prepare(sql).get(email)).id
    },
    async countNotes(prefix) {
      const sql = 'SELECT count(*) AS n FROM notes WHERE body LIKE ?'
      return /** @type {{ n: number }} */ (db.prepare(sql).get(`${prefix}%`)).n
    },
  }
}

/** @param {pg.Client} client @returns {PushQueries} */
function postgresQueries(client) {
  return {
    store: 'postgres',
    async jobOf(email) {
      const { rows } = await client.query(
        'SELECT j.id FROM jobs j JOIN users u ON u.id = j.technician_id WHERE u.email = $1 LIMIT 1',
        [email],
      )
      return rows[0].id
    },
    async countNotes(prefix) {
      const { rows } = await client.query(
        'SELECT count(*)::int AS n FROM notes WHERE body LIKE $1',
        [`${prefix}%`],
      )
      return rows[0].n
    },
  }
}

/**
 * Mutations per second through the whole HTTP stack (JSON, validation, one database transaction
 * per batch of 200, durable commits), straight to the server on loopback (no proxy), Jordan's
 * notes on one of his jobs, batches in sequence.
 * @param {import('../run.mjs').BenchContext} ctx @param {string} url @param {PushQueries} queries
 */
export async function serverPush(ctx, url, queries) {
  ctx.waitFor(`Jordan's sign-in on the ${queries.store} server`)
  const res = await fetch(`${url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(JORDAN),
  })
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const jobId = await queries.jobOf(JORDAN.email)
  const deviceId = randomUUID()
  let seq = 0
  const at = new Date().toISOString()
  const bodies = Array.from({ length: ctx.opts.pushBatches }, () =>
    JSON.stringify({
      deviceId,
      mutations: Array.from({ length: PUSH_BATCH }, () => {
        seq++
        return {
          id: randomUUID(),
          seq,
          name: 'note.add',
          args: { id: randomUUID(), jobId, body: `bench-push-${seq}`, createdAt: at },
          at,
        }
      }),
    }),
  )
  /** @type {number[]} */
  const perBatch = []
  const started = performance.now()
  for (const [i, body] of bodies.entries()) {
    ctx.waitFor(`push batch ${i + 1} of ${bodies.length} (${queries.store})`)
    const t = performance.now()
    const r = await fetch(`${url}/api/sync/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body,
    })
    const answer = /** @type {{ results: Array<{ status: string }> }} */ (await r.json())
    if (!r.ok || answer.results?.some((x) => x.status !== 'applied')) {
      ctx.failures.push(
        `server push: batch answered ${r.status} ${JSON.stringify(answer).slice(0, 200)}`,
      )
    }
    perBatch.push(performance.now() - t)
  }
  const seconds = (performance.now() - started) / 1000
  const applied = await queries.countNotes('bench-push-')
  if (applied !== seq) {
    ctx.failures.push(
      `server push (${queries.store}): server holds ${applied} notes, expected ${seq}`,
    )
  }
  return {
    store: queries.store,
    mutationsPerSec: Math.round(seq / seconds),
    mutations: seq,
    batchP50Ms: round(percentile(perBatch, 50)),
    batchMaxMs: round(Math.max(...perBatch)),
  }
}

/**
 * serverPush against the built server on PostgreSQL: a fresh database (created on the server
 * of DATABASE_URL, or the local one), seeded by the server at start, dropped afterwards — also
 * when the phase fails (registered with the cleanup).
 * @param {import('../run.mjs').BenchContext} ctx
 */
export async function serverPushOnPostgres(ctx) {
  const name = `fieldline_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  // Registered before anything is created, so a phase that times out half-way drops it.
  const dropDb = ctx.cleanup.add(`database ${name}`, async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
    await admin.end().catch(() => {})
  })
  ctx.waitFor(`PostgreSQL at ${new URL(PG_ADMIN_URL).host}`)
  await admin.connect()
  // The drop above may already have run (the phase timed out while connecting): create nothing.
  if (ctx.cleanup.closed) throw new Error('the bench is stopping')
  await admin.query(`CREATE DATABASE ${name}`)
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  ctx.waitFor('the server on PostgreSQL to start')
  const server = await startServer({
    root: ctx.root,
    dir: ctx.dir,
    databaseUrl: url.toString(),
    profile: false,
    cleanup: ctx.cleanup,
  })
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  const endClient = ctx.cleanup.add('PostgreSQL client', () => client.end())
  try {
    return await serverPush(ctx, server.url, postgresQueries(client))
  } finally {
    endClient()
    await client.end()
    await server.stop()
    dropDb()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.end()
  }
}
