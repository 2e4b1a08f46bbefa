import { resolve } from 'node:path'
import { DEFAULT_SESSION_TTL_SECONDS } from './app'
import { defaultFilesDir } from './blobs/local'
import { ConfigError } from './configError'
import { parseTrustProxy } from './http/trustProxy'

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
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError(`${name} must be a whole number, not "${raw}"`)
  return value
}
