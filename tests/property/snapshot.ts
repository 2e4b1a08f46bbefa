import { labelColumns, toLabel } from '../../server/db/rows'
import type { Side } from './pair'

/**
 * What a store holds about the jobs a case touches, as read back through the office's whole-job
 * route (GET /api/dispatch/jobs/:id: the job, its customer, visits, notes, form, files,
 * estimates, invoices with balances, payments, signatures, labels) and, for labels no job
 * carries, the labels table. Keyed `table:id`, so order and JSON key order do not matter.
 */
export type Entities = Map<string, unknown>

const LISTS = [
  'appointments',
  'notes',
  'attachments',
  'estimates',
  'invoices',
  'payments',
  'signatures',
  'labels',
] as const

export class ReadFailed extends Error {}

export async function snapshot(
  side: Side,
  jobIds: Iterable<string>,
  labelIds: Iterable<string> = [],
): Promise<Entities> {
  const out: Entities = new Map()
  for (const jobId of jobIds) {
    const res = await side.as('dana', { method: 'GET', url: `/api/dispatch/jobs/${jobId}` })
    if (res.status >= 500) {
      throw new ReadFailed(
        `${side.store}: reading job ${jobId} back answered ${res.status} (${res.errors.join('; ') || 'no error logged'})`,
      )
    }
    if (res.status !== 200) {
      out.set(`view:${jobId}`, res.status)
      continue
    }
    const view = res.body as Record<string, unknown>
    const job = view.job as { id: string }
    out.set(`jobs:${job.id}`, job)
    const customer = view.customer as { id: string } | null
    if (customer) out.set(`customers:${customer.id}`, customer)
    const form = view.form as { id: string } | null
    if (form) out.set(`forms:${form.id}`, form)
    for (const table of LISTS) {
      for (const row of view[table] as Array<{ id: string }>) out.set(`${table}:${row.id}`, row)
    }
  }
  const labels = [...labelIds]
  if (labels.length > 0) {
    const rows = await side.db.kysely
      .selectFrom('labels')
      .select(labelColumns)
      .where('id', 'in', labels)
      .execute()
    for (const row of rows) out.set(`labels:${row.id}`, toLabel(row))
  }
  return out
}

/** A store's rows around a case: before and after it. */
export interface Change {
  before: Entities
  after: Entities
}

/** The rows a case changed, made or removed. */
export function changedKeys({ before, after }: Change): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter(
    (key) => !jsonEqual(before.get(key), after.get(key)),
  )
}

/**
 * Whether two stores made the same change: every row either changed is compared, on the fields
 * either changed, by its new value (and `version` by how much it went up). Fields neither store
 * touched are not compared, so a difference an earlier failing case left behind is not reported
 * again by every later case.
 */
export function compareChanges(a: Change, b: Change): string[] {
  const problems: string[] = []
  for (const key of new Set([...changedKeys(a), ...changedKeys(b)])) {
    const [ra, rb] = [a.after.get(key), b.after.get(key)]
    if (!isRecord(ra) || !isRecord(rb)) {
      if (!jsonEqual(ra, rb)) problems.push(`${key}: ${difference(ra, rb)}`)
      continue
    }
    const fields = new Set([...changedFields(key, a), ...changedFields(key, b)])
    for (const f of fields) {
      const [va, vb] = f === 'version' ? [versionStep(key, a), versionStep(key, b)] : [ra[f], rb[f]]
      if (!jsonEqual(va, vb)) problems.push(`${key} ${f}: ${difference(va, vb)}`)
    }
  }
  return problems
}

function changedFields(key: string, { before, after }: Change): string[] {
  const was = before.get(key)
  const now = after.get(key)
  if (!isRecord(now)) return []
  if (!isRecord(was)) return Object.keys(now)
  return Object.keys(now).filter((f) => !jsonEqual(was[f], now[f]))
}

function versionStep(key: string, { before, after }: Change): unknown {
  const was = before.get(key) as { version?: unknown } | undefined
  const now = after.get(key) as { version?: unknown } | undefined
  if (typeof now?.version !== 'number') return now?.version
  return typeof was?.version === 'number' ? `+${now.version - was.version}` : 'new'
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x)

/** Two values for a message; for strings, where they first differ. */
export function difference(a: unknown, b: unknown): string {
  if (typeof a === 'string' && typeof b === 'string') {
    let i = 0
    while (i < a.length && a[i] === b[i]) i++
    const from = Math.max(0, i - 8)
    return `sqlite ${preview(a.slice(from, i + 24))} / postgres ${preview(b.slice(from, i + 24))} (first difference at ${i}; lengths ${a.length} / ${b.length})`
  }
  return `sqlite ${preview(a, 300)} / postgres ${preview(b, 300)}`
}

/** A value for a message: JSON with non-ASCII escaped (so NUL and lone surrogates show). */
export function preview(value: unknown, max = 160): string {
  if (value === undefined) return 'undefined'
  const text = JSON.stringify(value, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? `<${v}>` : v,
  ).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text
}

/**
 * Equality of JSON-like values: object key order does not matter and 0 equals -0 (JSON has one
 * zero), but Infinity is not null and a string is compared code unit by code unit.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = Object.keys(ao)
  return (
    keys.length === Object.keys(bo).length &&
    keys.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]))
  )
}
