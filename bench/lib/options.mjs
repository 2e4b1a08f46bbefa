// @ts-check
/**
 * The bench's command line. `npm run bench -- --quick` (smaller counts) or the full run.
 *
 * Options: --quick, --actions N, --rtt MS, --latency-samples N, --offline-starts N,
 * --scale X (pre-load size; 1 = ~10,000 entities), --push-batches N, --profile (CPU profiles:
 * server, page), --postgres (also serverPush on PostgreSQL; on when DATABASE_URL is set),
 * --push-only (only the serverPush figures: no browser), --preload-variants (the pre-load's
 * writes timed five ways after its figure: preload.mjs),
 * --fail-phase NAME (that phase gets a 1 ms timeout: proves a stuck phase ends the run cleanly),
 * --only a,b (run just these figure phases, after the set-up ones).
 * Env BENCH_PHASE_TIMEOUT_MS overrides every phase's timeout (e.g. 1 to watch them all fail).
 */

const argv = process.argv.slice(2)
/** @param {string} name */
const flag = (name) => argv.includes(`--${name}`)
/** `--name value` or `--name=value`. @param {string} name */
const value = (name) => {
  const eq = argv.find((a) => a.startsWith(`--${name}=`))
  if (eq) return eq.slice(name.length + 3)
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : undefined
}
/** @param {string} name @param {number} fallback */
const num = (name, fallback) => {
  const v = Number(value(name) ?? Number.NaN)
  return Number.isFinite(v) ? v : fallback
}

const quick = flag('quick')
const envTimeout = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? Number.NaN)

export const opts = {
  quick,
  actions: num('actions', quick ? 200 : 500),
  rttMs: num('rtt', 50),
  latencySamples: num('latency-samples', quick ? 60 : 200),
  offlineStarts: num('offline-starts', quick ? 5 : 10),
  scale: num('scale', 1),
  pushBatches: num('push-batches', quick ? 10 : 25),
  photoEvery: num('photo-every', 20),
  profile: flag('profile'),
  preloadVariants: flag('preload-variants'),
  // serverPush on PostgreSQL too: a fresh database on the server of DATABASE_URL (or the local
  // one), dropped afterwards. SQLite stays the headline figure.
  postgres: flag('postgres') || /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? ''),
  pushOnly: flag('push-only'),
  failPhase: value('fail-phase') ?? null,
  only: (value('only') ?? '').split(',').filter(Boolean),
  phaseTimeoutMs: Number.isFinite(envTimeout) ? envTimeout : null,
}

export const PG_ADMIN_URL = /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')
  ? /** @type {string} */ (process.env.DATABASE_URL)
  : 'postgres://postgres@127.0.0.1:5432/postgres'

export const ALEX = { email: 'alex@fieldline.test', password: 'fieldline' }
export const SAM = { email: 'sam@fieldline.test', password: 'fieldline' }
export const JORDAN = { email: 'jordan@fieldline.test', password: 'fieldline' }
/** The device's batch size (protocol/limits.ts MAX_PUSH_BATCH): round trips the replay needs. */
export const DRAIN_BATCH = 500
/** Batch size of the server-push measurement. */
export const PUSH_BATCH = 200
