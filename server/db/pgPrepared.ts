import { createHash } from 'node:crypto'
import type pg from 'pg'

/** Statements named per connection at most; beyond that they run unnamed, as before. */
const MAX_NAMED = 500

/**
 * Writes and row locks: short statements on keys, whose plan does not depend on the values (a
 * generic plan suits them). Reads with ranges (a pull's windows and keysets) keep being planned
 * for their values on every run.
 */
const NAMED = /^(insert|update|delete|with w\d+ as \(insert)|for update$/

/**
 * PostgreSQL parses and plans every statement sent unnamed, on every run. A push sends the same
 * few statements for each batch (the processed ids locked, the revision, the notes and records
 * inserted: db/bulk.ts keeps their text the same whatever the number of rows), so each pool
 * connection prepares those once, under a name derived from the text (`pg` prepares a named
 * statement on first use on a connection and reuses it after). Measured side by side, a
 * 200-note batch's insert took ~15 % less time prepared. Safe across migrations: they run
 * before the server takes requests, and PostgreSQL re-plans a prepared statement by itself
 * when a table it reads changes.
 */
export function prepareWrites(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const named = new Set<string>()
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    // Kysely's call shape only, query(text, values); any other (a callback, a config object, a
    // cursor) goes through untouched.
    ;(client as { query: unknown }).query = (...args: unknown[]) => {
      const [text, values] = args
      if (
        args.length === 2 &&
        typeof text === 'string' &&
        Array.isArray(values) &&
        values.length > 0 &&
        NAMED.test(text.trim().toLowerCase())
      ) {
        const name = `fl_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
        if (named.has(name) || named.size < MAX_NAMED) {
          named.add(name)
          return query({ name, text, values })
        }
      }
      return query(...args)
    }
  })
}
