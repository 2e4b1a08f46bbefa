import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareWrites } from '../../server/db/pgPrepared'
import { createTestDatabase, TEST_STORE, type TestDatabase } from './stores'

/**
 * PostgreSQL only: writes and row locks sent through Kysely's call shape are prepared once per
 * connection under a name (server/db/pgPrepared.ts); reads with ranges and calls of any other
 * shape are not.
 */
describe.skipIf(TEST_STORE !== 'postgres')('prepared writes on PostgreSQL', () => {
  let test: TestDatabase
  let pool: pg.Pool
  beforeAll(async () => {
    test = await createTestDatabase()
    pool = new pg.Pool({ connectionString: test.url, max: 1 })
    prepareWrites(pool)
  })
  afterAll(async () => {
    await pool.end()
    await test.drop()
  })

  it('names writes and locks, and plans reads afresh', async () => {
    const client = await pool.connect()
    try {
      await client.query('create temp table t (id text primary key, n bigint)')
      for (let i = 0; i < 3; i++) {
        await client.query('insert into t (id, n) select * from unnest($1::text[], $2::bigint[])', [
          [`a${i}`, `b${i}`],
          [i, i],
        ])
      }
      await client.query('select id from t where id = any($1) order by id for update', [['a0']])
      const read = await client.query('select id from t where n >= $1 and n < $2', [0, 2])
      expect(read.rows).toHaveLength(4)
      // A callback call (pg's own pool.query shape) still works.
      const viaCallback = await new Promise<number>((resolve, reject) =>
        client.query('update t set n = n + 1 where id = $1', ['a0'], (err, res) =>
          err ? reject(err) : resolve(res.rowCount ?? 0),
        ),
      )
      expect(viaCallback).toBe(1)
      const { rows } = await client.query<{ statement: string }>(
        "select statement from pg_prepared_statements where name like 'fl\\_%' order by statement",
      )
      expect(rows.map((r) => r.statement)).toEqual([
        'insert into t (id, n) select * from unnest($1::text[], $2::bigint[])',
        'select id from t where id = any($1) order by id for update',
      ])
    } finally {
      client.release()
    }
  })
})
