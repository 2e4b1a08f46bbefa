import { isId } from '../../protocol/fields'
import type { MutationName } from '../../protocol/mutations'
import type { Pools } from './catalog'
import { RawJson } from './json'
import { type Entities, jsonEqual } from './snapshot'
import type { Step } from './step'
import { formatIso } from './times'

/**
 * Turns generated steps into what is pushed: created ids made fresh for this run, and the rows
 * the case touches found, so they can be read before and after.
 */

/** Actions whose `args.id` names the row they create. */
export const CREATES: ReadonlySet<MutationName> = new Set<MutationName>([
  'note.add',
  'attachment.add',
  'payment.add',
  'label.create',
  'signature.add',
  'appointment.create',
  'estimate.create',
  'invoice.create',
])

type Obj = Record<string, unknown>
export const isObj = (x: unknown): x is Obj =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof RawJson)

/** A deep copy that keeps RawJson tokens and swaps every string found in `swap`. */
export function copyArgs(value: unknown, swap: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return swap.get(value) ?? value
  if (Array.isArray(value)) return value.map((x) => copyArgs(x, swap))
  if (isObj(value)) {
    const out: Obj = {}
    for (const [k, v] of Object.entries(value)) out[swap.get(k) ?? k] = copyArgs(v, swap)
    return out
  }
  return value
}

/**
 * The steps with every id of a row they create replaced by a fresh one (`fresh`), in all the
 * places it appears (a payment on an invoice made in the same batch). Ids of seeded rows stay:
 * creating one of those is the "id already used" case. Fresh ids keep the generated id's case.
 */
export function withFreshIds(steps: Step[], pools: Pools, fresh: () => string): Step[] {
  const swap = new Map<string, string>()
  for (const step of steps) {
    const id = isObj(step.args) ? step.args.id : undefined
    if (!CREATES.has(step.name) || typeof id !== 'string' || !isId(id)) continue
    if (pools.known.has(id) || swap.has(id)) continue
    const f = fresh()
    swap.set(id, id === id.toLowerCase() ? f : f.toUpperCase())
  }
  return steps.map((step) => ({ ...step, args: copyArgs(step.args, swap) }))
}

export interface Touched {
  /** Seeded jobs the case reads back (a job no row has answers 404 on both, nothing to read). */
  jobs: Set<string>
  /** Labels the case creates (no job shows them). */
  labels: Set<string>
  /** The job of a row: seeded, or created earlier in the batch. */
  jobOf(id: string): string | undefined
}

export function touched(steps: Step[], pools: Pools): Touched {
  const created = new Map<string, string>()
  for (const step of steps) {
    const a = step.args
    if (
      CREATES.has(step.name) &&
      isObj(a) &&
      typeof a.id === 'string' &&
      typeof a.jobId === 'string'
    ) {
      created.set(a.id, a.jobId)
    }
  }
  const jobOf = (id: string) => pools.jobOf.get(id) ?? created.get(id)
  const seeded = new Set([...pools.jobs.mine, ...pools.jobs.others])
  const jobs = new Set<string>()
  const labels = new Set<string>()
  for (const step of steps) {
    const a = step.args
    if (!isObj(a)) continue
    const refs = [
      a.jobId,
      ...['estimateId', 'invoiceId', 'appointmentId', 'formId', 'subjectId'].map((k) =>
        typeof a[k] === 'string' ? jobOf(a[k] as string) : undefined,
      ),
    ]
    for (const job of refs) if (typeof job === 'string' && seeded.has(job)) jobs.add(job)
    if (step.name === 'label.create' && typeof a.id === 'string') labels.add(a.id)
  }
  return { jobs, labels, jobOf }
}

/** Where an edit's target row is in a snapshot, and the fields its `base` takes from it. */
const EDITS: Partial<Record<MutationName, { idKey: string; table: string }>> = {
  'job.update': { idKey: 'jobId', table: 'jobs' },
  'estimate.update': { idKey: 'estimateId', table: 'estimates' },
  'invoice.update': { idKey: 'invoiceId', table: 'invoices' },
  'appointment.reschedule': { idKey: 'appointmentId', table: 'appointments' },
  'jobForm.answer': { idKey: 'formId', table: 'forms' },
}

/** The snapshot key of the row a step's `fill` reads, or null when it has none. */
export function fillTarget(step: Step): string | null {
  const edit = EDITS[step.name]
  if (!step.fill || !edit || !isObj(step.args)) return null
  const id = step.args[edit.idKey]
  return typeof id === 'string' ? `${edit.table}:${id}` : null
}

/**
 * Sets an edit's `base` from the row as the store holds it (so it mostly applies): the old value
 * of each changed field, each answered form field, or the visit's times (written in
 * `fill.shape` when given: the same instants in another accepted form).
 */
export function fillBase(step: Step, current: unknown): void {
  const args = step.args
  if (!isObj(args) || !isObj(current)) return
  const base: Obj = isObj(args.base) ? { ...args.base } : {}
  if (step.name === 'appointment.reschedule') {
    const shape = step.fill?.shape
    const write = (t: unknown) =>
      shape && typeof t === 'string' ? formatIso(Date.parse(t), shape) : t
    args.base = { ...base, startsAt: write(current.startsAt), endsAt: write(current.endsAt) }
    return
  }
  if (step.name === 'jobForm.answer') {
    const answers = isObj(current.answers) ? current.answers : {}
    const keys = isObj(args.answers) ? Object.keys(args.answers) : []
    args.base = { ...base, ...Object.fromEntries(keys.map((k) => [k, answers[k] ?? null])) }
    return
  }
  const keys = isObj(args.changes) ? Object.keys(args.changes) : Object.keys(base)
  args.base = Object.fromEntries(keys.map((k) => [k, current[k] ?? null]))
}

/** The same row in both stores' snapshots (false: an earlier failure left them apart). */
export function sameRow(key: string, a: Entities, b: Entities): boolean {
  return jsonEqual(a.get(key), b.get(key))
}
