import { randomUUID } from 'node:crypto'
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rowsByIds } from '../../server/db/byIds'
import type { Database } from '../../server/db/schema'
import { ALEX, jobOf, mutation, pushAs, startTestServer, type TestServer } from './helpers'
import { TEST_STORE } from './stores'

/**
 * A push looks up its batch's ids (the processed records, the notes it adds) with rowsByIds. On
 * PostgreSQL with `= any($1)`, the planner read far more than the 200 rows asked for: with the
 * statistics of a young table it read every processed record of the user (an index on user_id,
 * then a filter on id), and it judged 200 lookups in the notes' key dearer than a scan of every
 * note (the push bench's auto_explain, 2026-12-03). Here the statistics are taken when the tables
 * are small and kept (autovacuum off for them), then the user pushes 8,000 notes; the lookups
 * of the next 200 ids (half of them known) must read those ids and nothing else, whatever the
 * planner believes: EXPLAIN ANALYZE of the very statements, no sequential scan and no row read
 * and thrown away by a filter.
 */
describe.runIf(TEST_STORE === 'postgres')('lookups by id on PostgreSQL', () => {
  let server: TestServer
  let pool: pg.Pool
  let kysely: Kysely<Database>
  const statements: Array<{ sql: string; parameters: readonly unknown[] }> = []
  let userId: string
  const noteIds: string[] = []
  const actionIds: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    pool = new pg.Pool({ connectionString: server.url, max: 2 })
    kysely = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (e) => {
        if (e.level === 'query') statements.push(e.query)
      },
    })
    for (const table of ['processed_mutations', 'notes']) {
      await pool.query(`analyze ${table}`)
      await pool.query(`alter table ${table} set (autovacuum_enabled = false)`)
    }
    const cookie = await server.signIn(ALEX)
    userId = await server.userId(ALEX)
    const job = await jobOf(server, ALEX)
    const deviceId = randomUUID()
    for (let b = 0; b < 40; b++) {
      const batch = Array.from({ length: 200 }, (_, i) => {
        const id = randomUUID()
        const m = mutation(
          'note.add',
          { id, jobId: job.id, body: `n${b}-${i}`, createdAt: new Date().toISOString() },
          b * 200 + i + 1,
        )
        noteIds.push(id)
        actionIds.push(m.id)
        return m
      })
      const res = await pushAs(server, cookie, deviceId, batch)
      expect(res.statusCode).toBe(200)
    }
  }, 180_000)

  afterAll(async () => {
    await kysely?.destroy()
    await server?.close()
  })

  /** Runs the lookup, then EXPLAIN ANALYZEs the statement it sent (rolled back: it may lock). */
  async function plan(lookup: (trx: Transaction<Database>) => Promise<unknown[]>) {
    statements.length = 0
    const found = await kysely.transaction().execute(lookup)
    const [s] = statements.filter((x) => /^\s*select/i.test(x.sql))
    if (!s) throw new Error('no statement recorded')
    const client = await pool.connect()
    try {
      await client.query('begin')
      const { rows } = await client.query(`explain (analyze, format json) ${s.sql}`, [
        ...s.parameters,
      ])
      await client.query('rollback')
      return { found, nodes: [...walk(rows[0]['QUERY PLAN'][0].Plan)] }
    } finally {
      client.release()
    }
  }

  const mixed = (known: string[]) => [
    ...known.slice(-100),
    ...Array.from({ length: 100 }, () => randomUUID()),
  ]

  it('reads only the processed records asked for, and locks them', async () => {
    const ids = mixed(actionIds)
    const { found, nodes } = await plan((trx) =>
      rowsByIds<{ id: string; status: string }>(trx, 'postgres', {
        table: 'processed_mutations',
        key: 'id',
        ids,
        columns: ['id', 'status'],
        scope: { column: 'user_id', value: userId },
        lock: true,
      }),
    )
    expect(found).toHaveLength(100)
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([])
    expect(Math.max(...nodes.map((n) => n['Rows Removed by Filter'] ?? 0))).toBe(0)
    expect(nodes.some((n) => n['Node Type'] === 'LockRows')).toBe(true)
  })

  it('reads only the notes asked for', async () => {
    const ids = mixed(noteIds)
    const { found, nodes } = await plan((trx) =>
      rowsByIds<{ id: string; job_id: string }>(trx, 'postgres', {
        table: 'notes',
        key: 'id',
        ids,
        columns: ['id', 'job_id'],
      }),
    )
    expect(found).toHaveLength(100)
    expect(nodes.filter((n) => n['Node Type'] === 'Seq Scan')).toEqual([])
    expect(Math.max(...nodes.map((n) => n['Rows Removed by Filter'] ?? 0))).toBe(0)
    const scanned = nodes.filter((n) => n['Relation Name'] === 'notes')
    expect(scanned.length).toBeGreaterThan(0)
  })

  it('finds the same rows as `= any`', async () => {
    const ids = mixed(noteIds)
    const direct = await sql<{ id: string }>`select id from notes where id = any(${ids})`.execute(
      kysely,
    )
    const { found } = await plan((trx) =>
      rowsByIds<{ id: string }>(trx, 'postgres', {
        table: 'notes',
        key: 'id',
        ids,
        columns: ['id'],
      }),
    )
    expect(new Set((found as Array<{ id: string }>).map((r) => r.id))).toEqual(
      new Set(direct.rows.map((r) => r.id)),
    )
  })
})

type PlanNode = {
  'Node Type': string
  'Relation Name'?: string
  'Rows Removed by Filter'?: number
  Plans?: PlanNode[]
}
function* walk(node: PlanNode): Generator<PlanNode> {
  yield node
  for (const child of node.Plans ?? []) yield* walk(child)
}
