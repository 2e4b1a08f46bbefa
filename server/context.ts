import type { Db } from './db/connect'

/** What route modules share: the database, the clock, and settings. */
export interface AppContext {
  db: Db
  /** The server's clock; tests pass a fixed one to move the sync window. */
  now: () => Date
  sessionTtlSeconds: number
  /** Rows per pull page (PULL_PAGE_ROWS; sync/pullPage.ts has the default). */
  pullPageRows?: number
  /** Pushes of this instance in the database at once (PUSH_CONCURRENCY; sync/pushGate.ts). */
  pushConcurrency?: number
  /** False once the server is shutting down: /api/ready answers 503 so balancers stop sending. */
  accepting: boolean
}
