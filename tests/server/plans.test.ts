import { createHash, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addTechnicians,
  DISPATCHER_EMAIL,
  FORM_FIELD_IDS,
  PASSWORD,
  passwordHash,
  settle,
  techEmail,
} from '../../bench/fleet/company.mjs'
import type { PullResponse } from '../../protocol/sync'
import { buildApp } from '../../server/app'
import { migrateToLatest } from '../../server/db/migrate'
import type { Database } from '../../server/db/schema'
import { createTestDatabase, TEST_STORE, type TestDatabase } from './stores'

/**
 * Every query a pull or a push runs is index-backed on PostgreSQL: on a company of 100
 * technicians (20,000 jobs, ~107,000 rows: the generator `npm run fleet` uses, then VACUUM
 * ANALYZE), the app runs sign-in, a technician's paged cold pull, a push of every common kind of
 * action, an office reassignment and the technician's paged delta pull (with removals), and an
 * office's first pages, through a Kysely that records each statement. Each is then EXPLAINed with
 * its own parameters (see sequentialScans for the rule). Small tables (labels, the revision
 * counter) may be read whole: that is right for them.
 */
describe.runIf(TEST_STORE === 'postgres')('query plans on a big company', () => {
  let database: TestDatabase
  let pool: pg.Pool
  let app: FastifyInstance
  const statements: Array<{ sql: string; parameters: readonly unknown[] }> = []

  beforeAll(async () => {
    database = await createTestDatabase('postgres')
    await migrateToLatest(database.db.kysely)
    pool = new pg.Pool({ connectionString: database.url, max: 4 })
    await addTechnicians(pool, { from: 0, to: 100, now: Date.now(), hash: passwordHash(PASSWORD) })
    await settle(pool)
    const kysely = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        if (event.level === 'query') {
          statements.push({ sql: event.query.sql, parameters: event.query.parameters })
        }
      },
    })
    app = await buildApp({
      db: { kysely, dialect: 'postgres', close: async () => {} },
      blobs: database.blobs,
      pullPageRows: 60,
    })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await pool?.end()
    await database?.drop()
  })

  async function signIn(email: string): Promise<string> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email, password: PASSWORD },
    })
    expect(res.statusCode).toBe(200)
    return `fl_session=${res.cookies.find((c) => c.name === 'fl_session')?.value}`
  }

  async function pullPages(cookie: string, cursor: string | null, max = 1000) {
    const pages: PullResponse[] = []
    for (let i = 0; i < max; i++) {
      const url = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
      const res = await app.inject({ method: 'GET', url, headers: { cookie } })
      expect(res.statusCode).toBe(200)
      const body = res.json() as PullResponse
      pages.push(body)
      cursor = body.cursor
      if (!body.more) break
    }
    return { pages, cursor: cursor as string }
  }

  it('reads no big table whole, in a pull, a push, a move and the next delta', async () => {
    const tech = await signIn(techEmail(7))
    const cold = await pullPages(tech, null)
    expect(cold.pages.length).toBeGreaterThan(3)
    const jobs = cold.pages.flatMap((p) => p.changes.jobs)
    const job = jobs.find((j) => j.number % 2 === 0) ?? jobs[0]
    const form = cold.pages.flatMap((p) => p.changes.jobForms)[0]
    const invoice = cold.pages.flatMap((p) => p.changes.invoices)[0]
    if (!job || !form || !invoice)
      throw new Error('the generated technician lacks a job, form or invoice')

    // A photo's bytes first, as the app sends them.
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const photoId = randomUUID()
    const upload = await app.inject({
      method: 'PUT',
      url: `/api/attachments/${photoId}/file`,
      headers: { cookie: tech, 'content-type': 'image/jpeg', 'x-content-sha256': sha256 },
      payload: bytes,
    })
    expect(upload.statusCode).toBe(201)

    const at = new Date().toISOString()
    const field = FORM_FIELD_IDS[1] as string
    const mutations = [
      ['note.add', { id: randomUUID(), jobId: job.id, body: 'plan check', createdAt: at }],
      ['note.add', { id: randomUUID(), jobId: job.id, body: 'plan check 2', createdAt: at }],
      [
        'job.update',
        {
          jobId: job.id,
          baseVersion: job.version,
          changes: { status: 'in_progress' },
          base: { status: job.status },
        },
      ],
      [
        'jobForm.answer',
        {
          formId: form.id,
          baseVersion: form.version,
          answers: { [field]: 3 },
          base: { [field]: form.answers[field] ?? null },
        },
      ],
      [
        'payment.add',
        {
          id: randomUUID(),
          invoiceId: invoice.id,
          method: 'cash',
          amountCents: 100,
          reference: null,
          receivedAt: at,
        },
      ],
      [
        'attachment.add',
        {
          id: photoId,
          jobId: job.id,
          kind: 'photo',
          filename: 'p.jpg',
          mimeType: 'image/jpeg',
          size: bytes.length,
          sha256,
          takenAt: at,
          thumbnail: null,
        },
      ],
    ] as const
    const push = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { cookie: tech },
      payload: {
        deviceId: randomUUID(),
        deviceSecret: 'x'.repeat(43),
        mutations: mutations.map(([name, args], i) => ({
          id: randomUUID(),
          seq: i + 1,
          name,
          args,
          at,
        })),
      },
    })
    expect(push.statusCode).toBe(200)
    expect(push.json().results.map((r: { status: string }) => r.status)).toEqual(
      mutations.map(() => 'applied'),
    )

    // The office moves one of the technician's jobs away: the next delta carries removals.
    const office = await signIn(DISPATCHER_EMAIL)
    const other = jobs.find((j) => j.id !== job.id) ?? job
    const move = await app.inject({
      method: 'PATCH',
      url: `/api/dispatch/jobs/${other.id}`,
      headers: { cookie: office },
      payload: { technicianId: jobs.length > 0 ? await userId(techEmail(8)) : '' },
    })
    expect(move.statusCode).toBe(200)

    const delta = await pullPages(tech, cold.cursor)
    expect(delta.pages.flatMap((p) => p.removed).map((r) => r.id)).toContain(other.id)
    await pullPages(office, null, 4)

    const scans = await sequentialScans()
    expect(statements.length).toBeGreaterThan(40)
    expect(scans).toEqual([])
  }, 120_000)

  async function userId(email: string): Promise<string> {
    const { rows } = await pool.query('select id from users where email = $1', [email])
    return rows[0].id
  }

  /** Rows per table, as the planner sees them. */
  async function tableRows(): Promise<Map<string, number>> {
    const { rows } = await pool.query(
      "select relname, reltuples from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace",
    )
    return new Map(rows.map((r) => [r.relname as string, Number(r.reltuples)]))
  }

  /**
   * Each recorded statement's plan, twice. As the planner chooses it: no sequential scan of a table
   * of more than 10,000 rows. With sequential scans disabled: no sequential scan of a table of more
   * than 1,000 rows, and no index scan without an index condition there (a whole index walked) —
   * i.e. an index path that reads only what the statement needs exists for every table it touches.
   */
  async function sequentialScans(): Promise<string[]> {
    const size = await tableRows()
    expect(size.get('notes')).toBeGreaterThan(30_000)
    const found: string[] = []
    const client = await pool.connect()
    try {
      for (const forced of [false, true]) {
        await client.query(`set enable_seqscan = ${forced ? 'off' : 'on'}`)
        for (const s of statements) {
          if (!/^\s*(select|insert|update|delete|with)\b/i.test(s.sql)) continue
          const { rows } = await client.query(`explain (format json) ${s.sql}`, [...s.parameters])
          for (const node of walk(rows[0]['QUERY PLAN'][0].Plan)) {
            const rowsIn = size.get(node['Relation Name']) ?? 0
            // An index walked from its start under a LIMIT (the office's jobs in id order) stops
            // after the page's rows: that is a bounded read, not a whole one.
            const whole =
              node['Node Type'] === 'Seq Scan'
                ? rowsIn > (forced ? 1_000 : 10_000)
                : /Index/.test(node['Node Type']) &&
                  !node['Index Cond'] &&
                  !node.limited &&
                  forced &&
                  rowsIn > 1_000
            if (whole) {
              found.push(
                `${forced ? '(index forced) ' : ''}${node['Node Type']} on ${node['Relation Name']}: ${s.sql.slice(0, 240)}`,
              )
            }
          }
        }
      }
    } finally {
      await client.query('reset enable_seqscan')
      client.release()
    }
    return found
  }
})

type PlanNode = {
  'Node Type': string
  'Relation Name': string
  'Index Cond'?: string
  Plans?: PlanNode[]
}
/** Every node of a plan; `limited` when a Limit node is above it. */
function* walk(node: PlanNode, limited = false): Generator<PlanNode & { limited: boolean }> {
  const below = limited || node['Node Type'] === 'Limit'
  yield { ...node, limited }
  for (const child of node.Plans ?? []) yield* walk(child, below)
}
