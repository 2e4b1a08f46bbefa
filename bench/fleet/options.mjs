// @ts-check
import { KINDS } from './actions.mjs'

export const USAGE = `npm run fleet -- [options]      (the server is built first; node bench/fleet/run.mjs skips that)

  --quick               small and fast, correctness only (the test suite runs this)
  --devices N           simulated devices in the rush (1000; quick 12)
  --instances K         API instances on the one PostgreSQL (2)
  --sizes 1,10,100      company sizes measured, in units of --techs-per-size technicians
  --techs-per-size N    technicians at size 1 (50; quick 10); each has 200 jobs
  --rush-size S         company size of the rush (the largest of --sizes)
  --rush-window-s S     the devices' cold pulls start spread over this many seconds (60; quick 2)
  --actions N           actions per device during the day (24; quick 6)
  --think-ms MS         mean pause between a device's actions (6000; quick 300)
  --batch-actions N     actions a device queues, on average, before it uploads and pulls (4)
  --mix note=70,status=15,photo=5,form=10   the kinds of actions, by weight
  --resend P            share of pushes sent twice, as when an answer is lost (0.03)
  --batch-max N         actions per push at most (200)
  --office-moves N      jobs the office reassigns between technicians during the day (devices/25)
  --no-restart          do not restart an instance (SIGTERM, start again) in the middle of the day
  --no-bursts           skip the saturation bursts after the day (every device pulls at once,
                        then pushes --burst-notes notes at once)
  --burst-notes N       notes per device in the push burst (20)
  --reps N              repetitions of each growth measurement (15; quick 2)
  --page-rows N         PULL_PAGE_ROWS of the instances (2000; quick 40, so every pull pages)
  --pool N              DATABASE_POOL_MAX of the instances (10)
  --dispatcher-pages N  pages of the office's cold pull to time (20; 0 = all of it, and check it)
  --out FILE            where the report goes (bench/fleet.json; quick: bench/.out/fleet-quick.json)
  --keep-db             do not drop the database at the end (its name is printed)`

/** @param {string[]} argv */
export function parseOptions(argv) {
  const quick = argv.includes('--quick')
  /** @param {string} name */
  const raw = (name) => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : undefined
  }
  /** @param {string} name @param {number} full @param {number} [small] */
  const num = (name, full, small = full) => {
    const value = raw(name)
    if (value === undefined) return quick ? small : full
    const n = Number(value)
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, not ${value}`)
    return n
  }
  const sizes = (raw('sizes') ?? (quick ? '1,2' : '1,10,100')).split(',').map(Number)
  if (sizes.some((s) => !Number.isInteger(s) || s < 1) || sizes[0] !== 1) {
    throw new Error('--sizes must be whole numbers starting with 1, e.g. 1,10,100')
  }
  /** @type {Record<string, number>} */
  const mix = { note: 70, status: 15, photo: 5, form: 10 }
  for (const part of (raw('mix') ?? '').split(',').filter(Boolean)) {
    const [kind, weight] = part.split('=')
    if (!kind || !KINDS.includes(/** @type {any} */ (kind)) || !(Number(weight) >= 0)) {
      throw new Error(`--mix takes kind=weight pairs of ${KINDS.join(', ')}; not "${part}"`)
    }
    mix[kind] = Number(weight)
  }
  const devices = num('devices', 1000, 12)
  const rushSize = num('rush-size', sizes.at(-1) ?? 1)
  if (!sizes.includes(rushSize)) throw new Error(`--rush-size must be one of --sizes (${sizes})`)
  return {
    quick,
    devices,
    instances: num('instances', 2),
    sizes,
    techsPerSize: num('techs-per-size', 50, 10),
    rushSize,
    rushWindowS: num('rush-window-s', 60, 2),
    actions: num('actions', 24, 6),
    thinkMs: num('think-ms', 6000, 300),
    batchActions: num('batch-actions', 4),
    mix: /** @type {Record<import('./actions.mjs').Kind, number>} */ (mix),
    resendRate: num('resend', 0.03, 0.2),
    batchMax: num('batch-max', 200),
    officeMoves: num('office-moves', Math.max(2, Math.round(devices / 25)), 3),
    restart: !argv.includes('--no-restart'),
    bursts: !argv.includes('--no-bursts'),
    burstNotes: num('burst-notes', 20, 5),
    reps: num('reps', 15, 2),
    pageRows: num('page-rows', 2000, 40),
    pool: num('pool', 10),
    dispatcherPages: num('dispatcher-pages', 20, 0),
    out: raw('out') ?? (quick ? 'bench/.out/fleet-quick.json' : 'bench/fleet.json'),
    keepDb: argv.includes('--keep-db'),
  }
}

/** @typedef {ReturnType<typeof parseOptions>} Options */
