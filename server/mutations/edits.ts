import type { EditMerge } from '../../protocol/merge'
import type { ApplyOutcome } from './types'

/**
 * The rule of every edit (job.update, estimate.update, invoice.update, appointment.reschedule,
 * jobForm.answer) is protocol/merge.ts's mergeEdit, field by field and, for line items, line by
 * line and attribute by attribute. What did not clash is written at once, the first time the edit
 * arrives; only what clashed waits for the technician's choice. The edit then answers 'conflict'
 * with each clash; a resend of the same id (re-based by "Keep mine" or "Use office's", or the same
 * edit again) merges against what the server holds by then, so nothing is applied twice.
 */
export function conflictOutcome(
  what: string,
  merge: EditMerge,
  serverVersion: number,
  serverAt: string | null,
): ApplyOutcome {
  const conflicts = merge.clashes.map((c) => (serverAt ? { ...c, serverAt } : c))
  const applied = merge.changed.length > 0 ? ' The rest of your change was saved.' : ''
  return {
    ok: false,
    code: 'conflict',
    reason: `The office changed ${what} too while you were offline; choose what to keep.${applied}`,
    conflicts,
    serverVersion,
  }
}

/** The edit's outcome once its mergeable part is written. */
export function editOutcome(
  what: string,
  merge: EditMerge,
  serverVersion: number,
  serverAt: string | null,
): ApplyOutcome {
  return merge.clashes.length > 0
    ? conflictOutcome(what, merge, serverVersion, serverAt)
    : { ok: true }
}
