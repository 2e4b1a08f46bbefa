import type { Db } from './db/connect'

/** What route modules share: the database, the clock, and settings. */
export interface AppContext {
  db: Db
  /** The server's clock; tests pass a fixed one to move the sync window. */
  now: () => Date
  sessionTtlSeconds: number
}
