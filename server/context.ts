import type { Db } from './db/connect'
import type { ChangeFeed } from './live/feed'

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
  /** "Something in these users' scope changed": writers publish after commit, streams listen. */
  changes: ChangeFeed
  /** Event stream heartbeat (live/routes.ts has the default; tests shorten it). */
  eventsHeartbeatMs?: number
  /** At most one signal per stream per this many ms (live/routes.ts has the default). */
  eventsCoalesceMs?: number
  /** False once the server is shutting down: /api/ready answers 503 so balancers stop sending. */
  accepting: boolean
}
