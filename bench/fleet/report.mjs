// @ts-check
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { summary } from './stats.mjs'

/** @param {number} n @param {number} seconds */
const perSecond = (n, seconds) => Math.round((10 * n) / Math.max(seconds, 0.001)) / 10

/**
 * The rush figures from the recorder and the phases' bounds: cold pulls (whole, all pages) in
 * the rush window, and pushes and delta pulls during the day.
 * @param {import('./stats.mjs').Recorder} recorder
 * @param {{ signin: { from: number, to: number }, rush: { from: number, to: number }, day: { from: number, to: number } }} phases
 * @param {number} mutations
 */
export function rushFigures(recorder, phases, mutations) {
  const { signin, rush, day } = phases
  const seconds = (/** @type {{ from: number, to: number }} */ p) => (p.to - p.from) / 1000
  const cold = summary(recorder.values('pull.cold', rush.from, rush.to))
  const push = summary(recorder.values('push', day.from, day.to))
  const delta = summary(recorder.values('pull.delta', day.from, day.to))
  return {
    pullP95Ms: cold.p95Ms,
    pullsPerSec: perSecond(cold.count, seconds(rush)),
    pushP95Ms: push.p95Ms,
    pushesPerSec: perSecond(push.count, seconds(day)),
    mutationsPerSec: perSecond(mutations, seconds(day)),
    deltaPullP95Ms: delta.p95Ms,
    deltaPullsPerSec: perSecond(delta.count, seconds(day)),
    rushSeconds: Math.round(seconds(rush) * 10) / 10,
    daySeconds: Math.round(seconds(day) * 10) / 10,
    signin: {
      ...summary(recorder.values('signin', signin.from, signin.to)),
      seconds: Math.round(seconds(signin) * 10) / 10,
    },
    latency: recorder.byKind(rush.from, day.to),
  }
}

/**
 * The ceilings: all devices at once. Pull: whole cold pulls; push: one upload of `notes` notes
 * per device (pushes of up to --batch-max each).
 * @param {import('./stats.mjs').Recorder} recorder
 * @param {{ pull: { from: number, to: number }, push: { from: number, to: number } }} bursts
 * @param {number} notes
 */
export function saturationFigures(recorder, bursts, notes) {
  const seconds = (/** @type {{ from: number, to: number }} */ p) => (p.to - p.from) / 1000
  const pull = summary(recorder.values('pull.cold', bursts.pull.from, bursts.pull.to))
  const push = summary(recorder.values('push', bursts.push.from, bursts.push.to))
  return {
    pullsPerSec: perSecond(pull.count, seconds(bursts.pull)),
    pullP95Ms: pull.p95Ms,
    pullSeconds: Math.round(seconds(bursts.pull) * 10) / 10,
    pushesPerSec: perSecond(push.count, seconds(bursts.push)),
    mutationsPerSec: perSecond(notes, seconds(bursts.push)),
    pushP95Ms: push.p95Ms,
    pushSeconds: Math.round(seconds(bursts.push) * 10) / 10,
    /** @type {Record<string, unknown>} */
    resources: {},
  }
}

/** @param {string} file @param {unknown} report */
export function writeReport(file, report) {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
}

/** A few lines for the terminal. @param {any} r */
export function printReport(r) {
  const lines = [
    '',
    `fleet: ${r.correct ? 'CORRECT' : 'NOT CORRECT'} — ${r.devices} devices, ${r.instances} instances, ${r.seconds} s`,
  ]
  if (r.growth) {
    lines.push(
      `growth (×${r.growth.largestSize} / ×1): cold pull ${r.growth.coldPull}, delta pull ${r.growth.deltaPull}, push ${r.growth.push}`,
    )
    for (const s of r.growth.bySize) {
      lines.push(
        `  size ${s.size}× (${s.technicians} technicians, ${s.jobs} jobs): cold ${s.coldPullMs} ms (${s.scope.rows} rows, ${s.scope.pages} pages), delta ${s.deltaPullMs} ms, push ${s.pushMs} ms`,
      )
    }
  }
  if (r.rush) {
    const x = r.rush
    lines.push(
      `rush: cold pull p95 ${x.pullP95Ms} ms, ${x.pullsPerSec}/s; day: push p95 ${x.pushP95Ms} ms, ${x.pushesPerSec} pushes/s (${x.mutationsPerSec} actions/s), delta pull p95 ${x.deltaPullP95Ms} ms`,
    )
  }
  if (r.saturation) {
    const x = r.saturation
    lines.push(
      `saturation: ${x.pullsPerSec} cold pulls/s (p95 ${x.pullP95Ms} ms), ${x.pushesPerSec} pushes/s = ${x.mutationsPerSec} notes/s (p95 ${x.pushP95Ms} ms)`,
    )
  }
  lines.push(`errors: ${r.errorCount}${r.errorCount ? ` ${JSON.stringify(r.errors)}` : ''}`)
  if (r.problems?.length)
    lines.push('problems:', ...r.problems.map((/** @type {string} */ p) => `  ${p}`))
  console.log(lines.join('\n'))
}
