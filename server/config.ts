import { resolve } from 'node:path'
import { DEFAULT_SESSION_TTL_SECONDS } from './app'
import { defaultFilesDir } from './blobs/local'
import { ConfigError } from './configError'
import { parseTrustProxy } from './http/trustProxy'
import { DEFAULT_PAGE_ROWS } from './sync/pullPage'
import { DEFAULT_PUSH_CONCURRENCY } from './sync/pushGate'

/** Settings from the environment, with the defaults a one-command start needs. */
export interface Config {
  port: number
  host: string
  databaseFile: string
  databaseUrl: string | undefined
  /**
   * Where attachment bytes go: BLOB_STORE=local|postgres; by default `postgres` (the
   * attachment_blobs table) with a postgres DATABASE_URL, so every instance sees every file,
   * else `local`.
   */
  blobStore: 'local' | 'postgres'
  /** Attachment files for the local store: FILES_DIR, else `files` beside the SQLite file. */
  filesDir: string
  staticDir: string
  sessionTtlSeconds: number
  seedDate: string | undefined
  logLevel: string | undefined
  /**
   * TRUST_PROXY: addresses / CIDR ranges of the proxies whose X-Forwarded-* headers are believed
   * (empty: none). See http/trustProxy.ts.
   */
  trustProxy: string[]
  /** DATABASE_POOL_MAX: connections each instance keeps to PostgreSQL at most (its app pool). */
  databasePoolMax: number
  /** PULL_PAGE_ROWS: rows per pull page (sync/pullPage.ts). */
  pullPageRows: number
  /**
   * SEED_DEMO=off: an empty database stays empty (no demo users with the demo password); for a
   * real deployment and for `npm run fleet`, which makes its own company.
   */
  seedDemo: boolean
  /** PUSH_CONCURRENCY: pushes one instance lets into the database at once (sync/pushGate.ts). */
  pushConcurrency: number
  /** SHUTDOWN_TIMEOUT_SECONDS: how long a stop waits for requests in flight (shutdown.ts). */
  shutdownTimeoutSeconds: number
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined
  const postgres = databaseUrl !== undefined && /^postgres(ql)?:\/\//.test(databaseUrl)
  const blobStore = env.BLOB_STORE || (postgres ? 'postgres' : 'local')
  if (blobStore !== 'local' && blobStore !== 'postgres') {
    throw new ConfigError(`BLOB_STORE must be local or postgres, not "${blobStore}"`)
  }
  if (blobStore === 'postgres' && !postgres) {
    throw new ConfigError('BLOB_STORE=postgres needs a postgres:// DATABASE_URL')
  }
  return {
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    databaseFile: env.DATABASE_FILE || 'data/fieldline.sqlite',
    blobStore,
    filesDir: defaultFilesDir(env.DATABASE_FILE || 'data/fieldline.sqlite', env.FILES_DIR),
    databaseUrl,
    staticDir: resolve(process.cwd(), env.STATIC_DIR || 'dist'),
    sessionTtlSeconds: integer(env, 'SESSION_TTL_SECONDS', DEFAULT_SESSION_TTL_SECONDS),
    seedDate: env.SEED_DATE || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    databasePoolMax: atLeast(1, integer(env, 'DATABASE_POOL_MAX', 10), 'DATABASE_POOL_MAX'),
    pullPageRows: atLeast(10, integer(env, 'PULL_PAGE_ROWS', DEFAULT_PAGE_ROWS), 'PULL_PAGE_ROWS'),
    shutdownTimeoutSeconds: integer(env, 'SHUTDOWN_TIMEOUT_SECONDS', 25),
    pushConcurrency: atLeast(
      1,
      integer(env, 'PUSH_CONCURRENCY', DEFAULT_PUSH_CONCURRENCY),
      'PUSH_CONCURRENCY',
    ),
    seedDemo: onOff(env, 'SEED_DEMO', true),
  }
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (raw === 'on' || raw === 'off') return raw === 'on'
  throw new ConfigError(`${name} must be on or off, not "${raw}"`)
}

function atLeast(min: number, value: number, name: string): number {
  if (value < min) throw new ConfigError(`${name} must be at least ${min}, not ${value}`)
  return value
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name} must be a whole number, not "${raw}"`)
  return value
}
