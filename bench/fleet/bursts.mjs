// @ts-check

/**
 * Where it saturates: after the day, every device at the same instant, twice.
 *
 * - pull: every device makes a new cold pull at once (as if all were reinstalled);
 * - push: every device queues `notes` notes and uploads them at once, then pulls.
 *
 * With N devices in flight the instances, PostgreSQL and the machine run flat out; the rates
 * are the fleet's ceilings on this machine, and the monitor's phase shows which part ran out
 * first (CPU per process, connections, lock waits).
 *
 * @param {{ devices: import('./device.mjs').Device[], monitor: import('./monitor.mjs').Monitor, notes: number, log: (...a: unknown[]) => void }} o
 */
export async function runBursts(o) {
  await o.monitor.begin('burst pull')
  const pullFrom = performance.now()
  await Promise.all(o.devices.map((d) => d.pull('cold')))
  const pull = { from: pullFrom, to: performance.now() }
  o.log(`burst: ${o.devices.length} cold pulls at once in ${Math.round(pull.to - pull.from)} ms`)

  await o.monitor.begin('burst push')
  const pushFrom = performance.now()
  await Promise.all(
    o.devices.map(async (d) => {
      for (let i = 0; i < o.notes; i++) d.act('note')
      await d.drain()
    }),
  )
  const push = { from: pushFrom, to: performance.now() }
  o.log(
    `burst: ${o.devices.length} pushes of ${o.notes} notes at once in ${Math.round(push.to - push.from)} ms`,
  )
  await Promise.all(o.devices.map((d) => d.pull('delta')))
  await o.monitor.end()
  return { pull, push }
}
