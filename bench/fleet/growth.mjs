// @ts-check
import { techEmail } from './company.mjs'
import { Device } from './device.mjs'
import { median, Recorder } from './stats.mjs'

/**
 * "Cost that stays flat as the company grows": the same technician (technician 0: same id, same
 * rows, in every company) measured alone, one request at a time, in companies of each size side
 * by side (one schema and one instance each), taking turns: 1×, 10×, 100×, 1×, 10×, … So a busy
 * moment of the machine (it is shared) slows every size alike and the ratios stay meaningful;
 * measuring one size after the other, minutes apart, gave ratios from 0.8 to 1.4 run to run.
 *
 * - coldPull: a new device's whole pull (all its pages);
 * - push: a batch of 20 notes on their jobs (UUIDv7 ids, as the app makes them);
 * - deltaPull: the pull right after that push, from the cursor before it (brings the 20 notes).
 *
 * Medians of `reps` turns, after a warm-up of each (the instance's code compiled, the
 * technician's rows in the database's cache, as for a technician who pulls every day). The notes
 * pushed are deleted afterwards.
 *
 * @param {{ targets: Array<{ size: number, base: string, pool: import('pg').Pool }>, reps: number }} o
 */
export async function measureGrowth(o) {
  const recorder = new Recorder()
  const probes = o.targets.map(
    (t) =>
      new Device({
        index: 0,
        email: techEmail(0),
        cluster: { bases: [t.base] },
        recorder,
        rng: Math.random,
        batchMax: 200,
        resendRate: 0,
      }),
  )
  /** @param {(probe: Device, i: number) => Promise<void>} step */
  const eachInTurn = async (step) => {
    for (const [i, probe] of probes.entries()) await step(probe, i)
  }
  /** @param {Device} probe */
  const pushNotes = async (probe) => {
    for (let n = 0; n < 20; n++) probe.act('note')
    await probe.drain()
  }
  try {
    /** @type {Array<{ rows: number, pages: number, bytes: number }>} */
    const scopes = []
    await eachInTurn(async (p, i) => {
      await p.signIn()
      scopes[i] = await p.pull('cold')
    })
    for (let w = 0; w < 4; w++) await eachInTurn((p) => p.pull('cold').then(() => {}))
    for (let w = 0; w < 3; w++)
      await eachInTurn((p) => pushNotes(p).then(() => p.pull('delta').then(() => {})))

    const cold = probes.map(() => /** @type {number[]} */ ([]))
    const push = probes.map(() => /** @type {number[]} */ ([]))
    const delta = probes.map(() => /** @type {number[]} */ ([]))
    const timed = async (
      /** @type {number[]} */ into,
      /** @type {() => Promise<unknown>} */ fn,
    ) => {
      const started = performance.now()
      await fn()
      into.push(performance.now() - started)
    }
    for (let r = 0; r < o.reps; r++) {
      await eachInTurn((p, i) => timed(/** @type {number[]} */ (cold[i]), () => p.pull('cold')))
    }
    for (let r = 0; r < o.reps; r++) {
      await eachInTurn(async (p, i) => {
        await timed(/** @type {number[]} */ (push[i]), () => pushNotes(p))
        await timed(/** @type {number[]} */ (delta[i]), () => p.pull('delta'))
      })
    }
    await eachInTurn((p, i) => forget(/** @type {any} */ (o.targets[i]).pool, p))
    return o.targets.map((t, i) => ({
      size: t.size,
      coldPullMs: round(median(cold[i] ?? [])),
      deltaPullMs: round(median(delta[i] ?? [])),
      pushMs: round(median(push[i] ?? [])),
      scope: scopes[i],
      samples: {
        coldPull: (cold[i] ?? []).map(round),
        deltaPull: (delta[i] ?? []).map(round),
        push: (push[i] ?? []).map(round),
      },
    }))
  } finally {
    for (const p of probes) p.close()
  }
}

/** Takes the probe's notes and its device out again. @param {import('pg').Pool} pool @param {Device} probe */
async function forget(pool, probe) {
  const notes = probe.sent.map((a) => a.mutation.args.id)
  await pool.query('delete from notes where id = any($1)', [notes])
  await pool.query('delete from processed_mutations where device_id = $1', [probe.deviceId])
  await pool.query('delete from devices where id = $1', [probe.deviceId])
}

/** @param {number | null} n */
const round = (n) => (n === null ? null : Math.round(n * 10) / 10)
