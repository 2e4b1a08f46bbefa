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

/**
 * What changed from one snapshot to the next: a new entity whole, a changed one as its changed
 * fields' new values, a gone one as null. Field by field, with `version` as how much it went up,
 * so two stores that an earlier failure left apart in some field still compare equal when they
 * made the same change now.
 */
export function delta(before: Entities, after: Entities): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(key)
    const now = after.get(key)
    if (jsonEqual(was, now)) continue
    if (now === undefined) out[key] = null
    else if (!isRecord(was) || !isRecord(now)) out[key] = now
    else {
      const fields: Record<string, unknown> = {}
      for (const f of new Set([...Object.keys(was), ...Object.keys(now)])) {
        if (jsonEqual(was[f], now[f])) continue
        fields[f] =
          f === 'version' && typeof now[f] === 'number' && typeof was[f] === 'number'
            ? `+${now[f] - was[f]}`
            : now[f]
      }
      out[key] = fields
    }
  }
  return out
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x)

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
