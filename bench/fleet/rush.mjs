// @ts-check
import { pickKind } from './actions.mjs'
import { techEmail } from './company.mjs'
import { Device } from './device.mjs'
import { moveJob, officeDevice, officePull } from './office.mjs'

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Runs `fn` over `items`, `limit` at a time. @template T @param {T[]} items @param {number} limit @param {(item: T) => Promise<void>} fn */
export async function eachLimit(items, limit, fn) {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = /** @type {T} */ (items[next++])
      await fn(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * The 7 AM rush and the working day, on the instances of `cluster`:
 *
 * 1. sign-in: every device signs in (8 at a time; scrypt is the cost, and in the field devices
 *    are signed in already, so this is outside the rush figures);
 * 2. the rush: each device starts its cold pull at a random moment in the first `rushWindowS`
 *    seconds; the office starts pulling the whole company at the same time;
 * 3. the day: each device takes `actions` actions with exponential pauses (mean `thinkMs`), and
 *    after each, with probability 1/`batchActions`, uploads its queue and pulls, as when it finds
 *    signal again; the office moves jobs between devices; half-way, one instance restarts.
 *    Each device uploads and pulls a last time at the end.
 *
 * Returns the devices (for the checks) and the phases' bounds (performance.now()).
 *
 * @param {{ opts: import('./options.mjs').Options, cluster: import('./instances.mjs').Cluster, recorder: import('./stats.mjs').Recorder, pool: import('pg').Pool, monitor: import('./monitor.mjs').Monitor, log: (...a: unknown[]) => void }} o
 */
export async function runRush(o) {
  const { opts, cluster, recorder } = o
  let seed = 0x5eed
  const rng = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    return seed / 0x7fffffff
  }
  const devices = Array.from(
    { length: opts.devices },
    (_, k) =>
      new Device({
        index: k + 1,
        email: techEmail(k + 1),
        cluster,
        recorder,
        rng,
        batchMax: opts.batchMax,
        resendRate: opts.resendRate,
      }),
  )
  const office = await officeDevice({ cluster, recorder, pool: o.pool })

  await o.monitor.begin('signin')
  const signinStart = performance.now()
  await eachLimit(devices, 8, (d) => d.signIn())
  const signin = { from: signinStart, to: performance.now() }
  o.log(`${devices.length} devices signed in in ${Math.round(signin.to - signin.from)} ms`)

  await o.monitor.begin('rush')
  const rushStart = performance.now()
  const officeRun = officePull(office, opts.dispatcherPages)
  await Promise.all(
    devices.map(async (d) => {
      await sleep(rng() * opts.rushWindowS * 1000)
      await d.pull('cold')
    }),
  )
  const rush = { from: rushStart, to: performance.now() }
  const officeScope = await officeRun
  o.log(
    `rush: ${devices.length} cold pulls in ${Math.round(rush.to - rush.from)} ms; office pulled ${officeScope.pages} pages`,
  )

  await o.monitor.begin('day')
  const dayStart = performance.now()
  const expectedDayMs = opts.actions * opts.thinkMs
  /** @type {Array<{ jobId: string, from: string, to: string }>} */
  const moves = []
  const officeWork = (async () => {
    for (let i = 0; i < opts.officeMoves && devices.length > 1; i++) {
      await sleep(expectedDayMs / (opts.officeMoves + 1))
      const from = devices[Math.floor(rng() * devices.length)]
      const to = devices[Math.floor(rng() * devices.length)]
      if (!from || !to || from === to) continue
      const move = await moveJob(office, o.pool, from, to)
      if (move) moves.push(move)
    }
  })()
  const restart = (async () => {
    if (!opts.restart || cluster.instances.length < 2) return
    await sleep(expectedDayMs / 2)
    o.log('restarting the last instance (SIGTERM under load)')
    await cluster.restart(cluster.instances.length - 1)
  })()
  await Promise.all(
    devices.map(async (d) => {
      for (let a = 0; a < opts.actions; a++) {
        await sleep(-Math.log(1 - rng()) * opts.thinkMs)
        d.act(pickKind(opts.mix, () => rng()))
        if (rng() < 1 / opts.batchActions) {
          await d.drain()
          await d.pull('delta')
        }
      }
      await d.drain()
      await d.pull('delta')
    }),
  )
  await Promise.all([officeWork, restart])
  const day = { from: dayStart, to: performance.now() }
  await o.monitor.end()
  return { devices, office, officeScope, moves, phases: { signin, rush, day } }
}
