import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema'

export type Dialect = 'sqlite' | 'postgres'

export interface Db {
  kysely: Kysely<Database>
  dialect: Dialect
  /** PostgreSQL: the URL, for connections outside the pool (the LISTEN of live/pgFeed.ts). */
  url?: string
  close(): Promise<void>
}

export interface ConnectOptions {
  /** SQLite file; ':memory:' works for throwaway use. Ignored when `url` is set. */
  file?: string
  /** postgres://… selects PostgreSQL. */
  url?: string
  /** PostgreSQL: connections in the pool at most (DATABASE_POOL_MAX, default 10). */
  poolMax?: number
}

/** Opens the database: PostgreSQL when a postgres:// URL is given, else a local SQLite file. */
export function connect(options: ConnectOptions): Db {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url))
    return connectPostgres(options.url, options.poolMax ?? 10)
  return connectSqlite(options.file ?? 'data/fieldline.sqlite')
}

function connectSqlite(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
  const sqlite = new SqliteDatabase(file)
  // WAL lets pulls read while a push writes. synchronous=FULL: a push the server answered
  // "applied" must survive a power cut, because the device deletes its copy on that answer.
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
  })
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() }
}

/** Prepared statements kept per connection: the push's handful and every other route's. */
const STATEMENT_CACHE = 256

/**
 * Kysely prepares every query afresh on SQLite, and a push's multi-row INSERTs and IN lists of
 * 200 ids cost about a millisecond each to prepare. The same SQL text (same shape, same number
 * of values) gets the same prepared statement back instead; values are bound on each run, and
 * SQLite re-prepares a statement by itself when the schema changes. Kept most-recently-used,
 * bounded. Safe because Kysely runs one statement at a time on its single connection and this
 * server streams no query (a statement reused while still iterating would throw).
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteDatabase.Statement {
      let stmt = cache.get(sql)
      if (stmt) {
        cache.delete(sql)
      } else {
        stmt = sqlite.prepare(sql)
        if (cache.size >= STATEMENT_CACHE) {
          const oldest = cache.keys().next().value
          if (oldest !== undefined) cache.delete(oldest)
        }
      }
      cache.set(sql, stmt)
      return stmt
    },
  }
}

function connectPostgres(url: string, max: number): Db {
  // int8 (bigint: seq numbers, counts) arrives as a string by default; our values stay far
  // below 2^53, so numbers are safe and keep the code identical on both databases.
  pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10))
  // Each instance holds up to `max` connections (plus the blob store's 4 and the change feed's
  // LISTEN, live/pgFeed.ts): instances × (max + 5) must stay under the server's max_connections. A request waits for a free one meanwhile.
  const pool = new pg.Pool({ connectionString: url, max })
  // An idle client whose connection drops (database restart) must not crash the process; the
  // pool replaces it and the next query reconnects.
  pool.on('error', () => {})
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  return { kysely, dialect: 'postgres', url, close: () => kysely.destroy() }
}
