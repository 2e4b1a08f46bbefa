import fastifyCookie from '@fastify/cookie'
import Fastify, { type FastifyInstance } from 'fastify'
import { registerAuthGuard } from './auth/guard'
import { registerAuthRoutes } from './auth/routes'
import { registerFileRoutes } from './blobs/routes'
import type { BlobStore } from './blobs/store'
import type { AppContext } from './context'
import type { Db } from './db/connect'
import { registerDispatchRoutes } from './dispatch/routes'
import { registerCompression } from './http/compress'
import { registerErrorHandler, registerNotFoundHandler } from './http/errors'
import { registerHeaders } from './http/headers'
import { registerJsonBody } from './http/jsonBody'
import { registerOriginCheck } from './http/origin'
import { registerReadiness } from './http/ready'
import {
  clientErrorHandler,
  frameworkErrors,
  originForm,
  registerRequestEncodingCheck,
} from './http/requestShape'
import { registerRouteList } from './http/routes'
import { registerStatic } from './http/static'
import { type ChangeFeed, LocalChangeFeed } from './live/feed'
import { PgChangeFeed } from './live/pgFeed'
import { registerLiveRoutes } from './live/routes'
import { registerSyncRoutes } from './sync/routes'

export interface AppOptions {
  /** An open, migrated database. The app does not close it; the caller owns it. */
  db: Db
  /** Where attachment bytes are kept (a local folder by default; see blobs/store.ts). */
  blobs: BlobStore
  /** Folder of the built app; not served when it (or its index.html) does not exist. */
  staticDir?: string
  sessionTtlSeconds?: number
  /** The clock; tests pass their own to move the sync window. */
  now?: () => Date
  /** Fastify log level; logging is off when unset. */
  logLevel?: string
  /** Where the log lines go (stdout by default); tests read them. */
  logStream?: NodeJS.WritableStream
  /**
   * Addresses / CIDR ranges of the proxies whose X-Forwarded-For/-Proto/-Host are believed
   * (TRUST_PROXY; see http/trustProxy.ts). Empty or unset: none, request.ip is the peer.
   */
  trustProxy?: string[]
  /** Rows per pull page (PULL_PAGE_ROWS); tests use small pages to exercise paging. */
  pullPageRows?: number
  /** Pushes in the database at once (PUSH_CONCURRENCY, default 3; sync/pushGate.ts). */
  pushConcurrency?: number
  /**
   * Where "something changed" signals go (live/feed.ts). Default: in-process on SQLite, LISTEN/
   * NOTIFY on PostgreSQL, closed with the app. Tests pass one to share it or watch it.
   */
  changes?: ChangeFeed
  /** Event stream heartbeat and coalescing (live/routes.ts has the defaults). */
  eventsHeartbeatMs?: number
  eventsCoalesceMs?: number
}

export const DEFAULT_SESSION_TTL_SECONDS = 30 * 24 * 60 * 60
/**
 * Largest JSON body any route reads (push sets the same explicitly; files have their own 20 MB
 * limit on their own routes). Fastify's default is 1 MB; pushes of ~1 MB batches need headroom.
 */
export const MAX_JSON_BYTES = 2 * 1024 * 1024

/** Builds the whole server without listening, so tests can use inject() or listen on port 0. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logLevel
      ? { level: options.logLevel, ...(options.logStream && { stream: options.logStream }) }
      : false,
    // An array goes to proxy-addr: only peers in it are believed.
    trustProxy: options.trustProxy?.length ? options.trustProxy : false,
    bodyLimit: MAX_JSON_BYTES,
    frameworkErrors,
    clientErrorHandler,
    rewriteUrl: (request) => originForm(request.url ?? '/'),
  })
  const ownFeed = !options.changes
  const changes =
    options.changes ??
    (options.db.dialect === 'postgres' && options.db.url
      ? new PgChangeFeed(options.db.kysely, options.db.url, app.log)
      : new LocalChangeFeed())
  if (ownFeed) app.addHook('onClose', () => changes.close())
  const ctx: AppContext = {
    db: options.db,
    changes,
    eventsHeartbeatMs: options.eventsHeartbeatMs,
    eventsCoalesceMs: options.eventsCoalesceMs,
    now: options.now ?? (() => new Date()),
    sessionTtlSeconds: options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_SECONDS,
    pullPageRows: options.pullPageRows,
    pushConcurrency: options.pushConcurrency,
    accepting: true,
  }

  registerRouteList(app)
  registerErrorHandler(app)
  registerJsonBody(app)
  await app.register(fastifyCookie)
  registerHeaders(app)
  registerRequestEncodingCheck(app)
  // Fastify runs onSend hooks in the order added: this one compresses the body; the ones added
  // after it only set headers.
  registerCompression(app)
  // Before the guard: a cross-site request is refused before anything reads its session.
  registerOriginCheck(app)
  registerAuthGuard(app, ctx)
  registerAuthRoutes(app, ctx)
  registerReadiness(app, ctx)
  registerSyncRoutes(app, ctx)
  registerLiveRoutes(app, ctx)
  registerFileRoutes(app, ctx, options.blobs)
  registerDispatchRoutes(app, ctx)
  const fallback = options.staticDir ? await registerStatic(app, options.staticDir) : null
  registerNotFoundHandler(app, fallback)
  await app.ready()
  return app
}
