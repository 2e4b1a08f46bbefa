import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The PostgreSQL the tests use (trust auth); FIELDLINE_TEST_PG overrides, as for server tests. */
const ADMIN_URL = process.env.FIELDLINE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * A new, empty PostgreSQL database for one test, named like the server tests' own
 * (fieldline_test_<time>_<random>), so their clean-up also drops one a killed run left behind.
 */
export async function createPgDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fieldline_test_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: ADMIN_URL })
    await client.connect()
    try {
      await client.query(query)
    } finally {
      await client.end()
    }
  }
  await admin(`create database ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) }
}
