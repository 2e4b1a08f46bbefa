import fc from 'fast-check'
import * as v from 'valibot'
import { type MutationName, mutationSchemas } from '../../protocol/mutations'
import type { MutationResult } from '../../protocol/sync'
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../protocol/version'
import { unmetWants, type Want, wantsOf } from './expect'
import { sha256Hex } from './files'
import { uuidFrom } from './ids'
import { toJsonText } from './json'
import type { Answer, Pair, Side } from './pair'
import { fillBase, fillTarget, isObj, sameRow, touched, withFreshIds } from './prepare'
import { changedKeys, compareChanges, preview, snapshot } from './snapshot'
import type { Step } from './step'

/**
 * One case: the same generated actions pushed by Alex to both stores, then checked.
 * (a) no answer is a 5xx, on either store (nor the file uploads and read-backs around it);
 * (b) the same answer per action on both: status and code; an action the schema refuses is
 *     `rejected`/`invalid`;
 * (c) both stores changed the same rows the same way, each applied action left what the
 *     schema's parsed output says, and a push that applied nothing changed nothing.
 */

export interface PushState {
  /** Names fresh ids and the device, so every run of a seed sends the same requests. */
  label: string
  deviceId: string
  seq: number
  made: number
  /** Cases where SQLite applied something / applied nothing (coverage of the property). */
  applied: number
  refused: number
}

export function newPushState(label: string): PushState {
  return { label, deviceId: uuidFrom(`${label}/device`), seq: 0, made: 0, applied: 0, refused: 0 }
}

export class CaseFailed extends Error {}

/**
 * Fields of the push itself to send instead of the harness's own: the device, and the first
 * mutation's id, seq, name and `at` (see envelope.ts). Only names that are not actions are
 * given, so the args are still read by the step's own schema when the envelope passes.
 */
export interface Envelope {
  deviceId?: unknown
  id?: unknown
  seq?: unknown
  name?: unknown
  at?: unknown
}

export async function checkPushCase(
  pair: Pair,
  state: PushState,
  generated: Step[],
  envelope: Envelope = {},
): Promise<void> {
  const fresh = () => uuidFrom(`${state.label}/${state.made++}`)
  const steps = withFreshIds(generated, pair.pools, fresh)
  const scope = touched(steps, pair.pools)
  const before = await both(pair, (side) => snapshot(side, scope.jobs, scope.labels))

  for (const step of steps) {
    const key = fillTarget(step)
    if (!key) continue
    // An earlier failing case may have left this row different in the two stores; one base
    // cannot then fit both. Skip rather than report a second, derived failure.
    fc.pre(sameRow(key, before[0], before[1]))
    fillBase(step, before[0].get(key))
  }

  const problems: string[] = []
  const sizes = new Map<number, number>()
  for (const [i, step] of steps.entries()) {
    const id = isObj(step.args) ? step.args.id : undefined
    const upload = step.upload
    if (!upload || typeof id !== 'string') continue
    const answers = await both(pair, (side) =>
      side.as('alex', {
        method: 'PUT',
        url: `/api/attachments/${encodeURIComponent(id)}/file`,
        headers: {
          'content-type': upload.contentType,
          'x-content-sha256': sha256Hex(upload.bytes),
        },
        payload: Buffer.from(upload.bytes),
      }),
    )
    problems.push(...compareAnswers(`upload of step ${i}`, answers))
    if (answers[0].status < 300) sizes.set(i, upload.bytes.length)
  }

  const at = pair.clock.now.toISOString()
  const { deviceId = state.deviceId, ...first } = envelope
  const mutations = steps.map((step, i) => ({
    id: fresh(),
    seq: ++state.seq,
    name: step.name,
    args: step.args,
    at,
    // Made and sent by the current app: the oracle checks them against the current schemas.
    v: PROTOCOL_VERSION,
    ...(i === 0 && first),
  }))
  const text = toJsonText({ deviceId, mutations })
  // What the server parses: exactly this text (-0 and 1e400 included).
  const sent = (JSON.parse(text) as { mutations: Array<{ args: unknown }> }).mutations
  const answers = await both(pair, (side) =>
    side.as('alex', {
      method: 'POST',
      url: '/api/sync/push',
      headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
      payload: text,
    }),
  )
  problems.push(...compareAnswers('push', answers))
  if (problems.length > 0) throw new CaseFailed(problems.join('\n'))

  const results = answers.map((a) =>
    a.status === 200 ? (a.body as { results: MutationResult[] }).results : [],
  )
  const parsed = steps.map((step, i) => v.safeParse(mutationSchemas[step.name], sent[i]?.args))
  for (const [i, step] of steps.entries()) {
    const r = results.map((rs) => rs[i])
    if (answers[0].status !== 200) break
    if (r[0]?.status !== r[1]?.status || r[0]?.code !== r[1]?.code) {
      problems.push(
        `step ${i} ${step.name}: sqlite ${r[0]?.status}/${r[0]?.code ?? ''} (${r[0]?.reason ?? ''}) but postgres ${r[1]?.status}/${r[1]?.code ?? ''} (${r[1]?.reason ?? ''})`,
      )
    }
    if (!parsed[i]?.success && r.some((x) => x?.status !== 'rejected' || x.code !== 'invalid')) {
      problems.push(
        `step ${i} ${step.name}: the schema refuses it (${parsed[i]?.issues?.[0]?.message}) but the answer is ${r.map((x) => `${x?.status}/${x?.code ?? ''}`).join(' and ')}`,
      )
    }
  }

  const after = await both(pair, (side) => snapshot(side, scope.jobs, scope.labels))
  const changes = [
    { before: before[0], after: after[0] },
    { before: before[1], after: after[1] },
  ] as const
  problems.push(...compareChanges(changes[0], changes[1]))

  for (const [s, side] of pair.sides.entries()) {
    const wants: Want[] = []
    let anyApplied = false
    for (const [i, step] of steps.entries()) {
      const p = parsed[i]
      if (results[s]?.[i]?.status !== 'applied' || !p?.success) continue
      anyApplied = true
      wants.push(
        ...wantsOf(step.name as MutationName, p.output, {
          alexId: pair.catalog.users.alex,
          before: before[s]!,
          jobOf: scope.jobOf,
          uploadedSize: sizes.get(i),
        }),
      )
    }
    for (const problem of unmetWants(wants, before[s]!, after[s]!)) {
      problems.push(`${side.store}: ${problem}`)
    }
    const changed = changedKeys(changes[s]!)
    if (!anyApplied && changed.length > 0) {
      problems.push(`${side.store}: nothing was applied, yet ${changed.join(', ')} changed`)
    }
    if (s === 0) {
      if (anyApplied) state.applied++
      else state.refused++
    }
  }
  if (problems.length > 0) throw new CaseFailed(problems.join('\n'))
}

/** The same request to both stores, one after the other (see pair.ts): [sqlite, postgres]. */
export async function both<T>(pair: Pair, send: (side: Side) => Promise<T>): Promise<[T, T]> {
  const first = await send(pair.sides[0])
  return [first, await send(pair.sides[1])]
}

/** (a) and (b) for one request sent to both stores. */
export function compareAnswers(what: string, [a, b]: readonly [Answer, Answer]): string[] {
  const problems: string[] = []
  for (const [store, answer] of [
    ['sqlite', a],
    ['postgres', b],
  ] as const) {
    if (answer.status >= 500) {
      problems.push(
        `${store}: ${what} answered ${answer.status}; server error: ${answer.errors.join(' | ') || 'none logged'}`,
      )
    }
  }
  const code = (x: Answer) => (isObj(x.body) ? x.body.error : undefined)
  if (a.status !== b.status || code(a) !== code(b)) {
    problems.push(
      `${what}: sqlite answered ${a.status} ${preview(code(a) ?? '')}, postgres ${b.status} ${preview(code(b) ?? '')}`,
    )
  }
  return problems
}
