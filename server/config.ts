import { resolve } from 'node:path'
import { DEFAULT_SESSION_TTL_SECONDS } from './app'
import { defaultFilesDir } from './blobs/local'

/** Settings from the environment, with the defaults a one-command start needs. */
export interface Config {
  port: number
  host: string
  databaseFile: string
  databaseUrl: string | undefined
  /** Attachment files: FILES_DIR, else `files` beside the SQLite file (data/files). */
  filesDir: string
  staticDir: string
  sessionTtlSeconds: number
  seedDate: string | undefined
  logLevel: string | undefined
  trustProxy: boolean
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    databaseFile: env.DATABASE_FILE || 'data/fieldline.sqlite',
    filesDir: defaultFilesDir(env.DATABASE_FILE || 'data/fieldline.sqlite', env.FILES_DIR),
    databaseUrl: env.DATABASE_URL || undefined,
    staticDir: resolve(process.cwd(), env.STATIC_DIR || 'dist'),
    sessionTtlSeconds: integer(env, 'SESSION_TTL_SECONDS', DEFAULT_SESSION_TTL_SECONDS),
    seedDate: env.SEED_DATE || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number, not "${raw}"`)
  return value
}
