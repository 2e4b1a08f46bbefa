// @ts-check
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** The PostgreSQL the bench uses: the tests' (trust auth, user postgres); FLEET_PG overrides. */
export const ADMIN_URL = process.env.FLEET_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** @param {string} url @param {string} database */
function withDatabase(url, database) {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

/**
 * A fresh database for one run, `fieldline_fleet_<time>_<random>`, durable as in production
 * (synchronous_commit stays on: pushes pay their commit's flush), and its removal. Databases of
 * killed runs older than a day are dropped here. `admin` stays connected (to the maintenance
 * database) for the monitor and the drop.
 */
export async function createDatabase() {
  const admin = new pg.Client({ connectionString: ADMIN_URL })
  await admin.connect()
  const name = `fieldline_fleet_${Math.floor(Date.now() / 1000)}_${randomBytes(3).toString('hex')}`
  const { rows } = await admin.query(
    "select datname from pg_database where datname like 'fieldline\\_fleet\\_%'",
  )
  for (const { datname } of rows) {
    const at = Number(/^fieldline_fleet_(\d+)_/.exec(datname)?.[1])
    if (at && at < Date.now() / 1000 - 86_400) {
      await admin.query(`drop database if exists ${datname} with (force)`).catch(() => {})
    }
  }
  await admin.query(`create database ${name}`)
  const url = withDatabase(ADMIN_URL, name)
  return {
    name,
    url,
    admin,
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

/**
 * The same database with `search_path` set to one schema: each company size of a run lives in a
 * schema of its own (size_1, size_10, …), so several sizes exist side by side in one database.
 * The server needs nothing for it: its tables and migrations are unqualified.
 * @param {string} url @param {string} schema
 */
export function inSchema(url, schema) {
  const u = new URL(url)
  u.searchParams.set('options', `-c search_path=${schema}`)
  return u.toString()
}

/** A connection to the run's database, for generating the company and for the checks. @param {string} url */
export async function connectTo(url) {
  const pool = new pg.Pool({ connectionString: url, max: 2 })
  pool.on('error', () => {})
  return pool
}
