import type { FieldConflict } from '../../protocol/sync'
import type { ApplyOutcome } from './types'

/**
 * The conflict rule of every edit (job.update, estimate.update, invoice.update,
 * appointment.reschedule, jobForm.answer). Per changed field f, with cur = the server's value:
 * - cur equals base[f] (the office has not touched it since the technician saw it) → take mine;
 * - cur equals changes[f] (both made the same change, or this is a resend) → nothing to do;
 * - otherwise the office changed it too → a conflict on f.
 * Any conflict makes the whole edit a Conflict: nothing is written. Fields outside `changes` are
 * never touched, so the office's edits to other fields are kept (a merge). `baseVersion` is not
 * needed for the rule (the per-field base is more precise); it is informational.
 */
export function findConflicts(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
  base: Record<string, unknown>,
): FieldConflict[] {
  const conflicts: FieldConflict[] = []
  for (const [field, mine] of Object.entries(changes)) {
    if (mine === undefined) continue
    const cur = current[field] ?? null
    if (deepEqual(cur, base[field] ?? null) || deepEqual(cur, mine)) continue
    conflicts.push({ field, server: cur, mine })
  }
  return conflicts
}

/** The fields whose value actually changes (so an edit that changes nothing writes nothing). */
export function changedFields(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
): string[] {
  return Object.entries(changes)
    .filter(([field, mine]) => mine !== undefined && !deepEqual(current[field] ?? null, mine))
    .map(([field]) => field)
}

export function conflictOutcome(
  what: string,
  conflicts: FieldConflict[],
  serverVersion: number,
): ApplyOutcome {
  const fields = conflicts.map((c) => c.field).join(', ')
  return {
    ok: false,
    code: 'conflict',
    reason: `The office changed ${fields} of ${what} while you were offline; choose which to keep.`,
    conflicts,
    serverVersion,
  }
}

/** Structural equality of JSON values; object key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  }
  const ao = a as Record<string, unknown>
  const bo = b as Record<string, unknown>
  const keys = Object.keys(ao).filter((k) => ao[k] !== undefined)
  const otherKeys = Object.keys(bo).filter((k) => bo[k] !== undefined)
  return keys.length === otherKeys.length && keys.every((k) => deepEqual(ao[k], bo[k]))
}
