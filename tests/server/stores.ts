import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { LocalBlobStore } from '../../server/blobs/local'
import { PostgresBlobStore } from '../../server/blobs/postgres'
import type { BlobStore } from '../../server/blobs/store'
import { connect, type Db } from '../../server/db/connect'

/**
 * Which store the server tests run on. vitest.config.ts runs tests/server once per store (the
 * projects server-sqlite and server-postgres) and sets FIELDLINE_TEST_STORE for each.
 */
export type TestStore = 'sqlite' | 'postgres'
export const TEST_STORE: TestStore =
  process.env.FIELDLINE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

/**
 * The PostgreSQL the tests use: 127.0.0.1:5432, trust auth, user postgres (FIELDLINE_TEST_PG
 * overrides). They only connect to it to create and drop their own databases.
 */
export const ADMIN_URL = process.env.FIELDLINE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface TestDatabase {
  store: TestStore
  db: Db
  blobs: BlobStore
  /** The postgres:// URL of this database (PostgreSQL only), e.g. for a second process. */
  url?: string
  /** Closes the connections and deletes the database (file or PostgreSQL database). */
  drop(): Promise<void>
}

/**
 * A new, empty database of the chosen store, with its blob store. SQLite: a file in a temp
 * folder and a files folder beside it. PostgreSQL: CREATE DATABASE fieldline_test_<time>_<random>
 * (so parallel test files and parallel runs never share anything) and the PostgreSQL blob store;
 * drop() removes it. Databases older than an hour left behind by killed runs are dropped here.
 */
export async function createTestDatabase(store: TestStore = TEST_STORE): Promise<TestDatabase> {
  if (store === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'fieldline-test-'))
    const db = connect({ file: join(dir, 'test.sqlite') })
    return {
      store,
      db,
      blobs: new LocalBlobStore(join(dir, 'files')),
      async drop() {
        await db.close()
        await rm(dir, { recursive: true, force: true })
      },
    }
  }
  const name = `fieldline_test_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`
  await admin(async (client) => {
    await dropStale(client)
    await client.query(`create database ${name}`)
    // Tests need no crash durability: commits skip the WAL flush wait. (npm run bench measures
    // push throughput with PostgreSQL's durable default.)
    await client.query(`alter database ${name} set synchronous_commit = off`)
  })
  const url = withDatabase(ADMIN_URL, name)
  const db = connect({ url })
  const blobs = new PostgresBlobStore(url, { max: 2 })
  return {
    store,
    db,
    blobs,
    url,
    async drop() {
      await db.close()
      await blobs.close()
      await admin((client) => client.query(`drop database if exists ${name} with (force)`))
    },
  }
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

async function dropStale(client: pg.Client): Promise<void> {
  const cutoff = Math.floor(Date.now() / 1000) - 3600
  const { rows } = await client.query<{ datname: string }>(
    "select datname from pg_database where datname like 'fieldline\\_test\\_%'",
  )
  for (const { datname } of rows) {
    const at = Number(/^fieldline_test_(\d+)_[0-9a-f]+$/.exec(datname)?.[1])
    if (at && at < cutoff) {
      await client.query(`drop database if exists ${datname} with (force)`).catch(() => {})
    }
  }
}
