import * as v from 'valibot'
import type { EntityTable, EntityTables } from './entities'
import { cleanString, Id, IsoDateTime, Seq } from './fields'
import { describeIssue } from './issueText'
import { MAX_PUSH_BATCH } from './limits'
import { MUTATION_NAMES } from './mutations'
import { PROTOCOL_VERSION } from './version'

export { MAX_PUSH_BATCH, MAX_PUSH_BYTES } from './limits'

/**
 * One action as it travels in a push. The request itself checks of each action only what its
 * answer is keyed and ordered by (`id`, `seq`: ActionKey below); everything else (`name`, `at`,
 * `v`, `args`, a field the envelope does not take) is checked per action, so one bad action is
 * rejected `invalid` on its own instead of failing the batch: an unknown name (an app newer than
 * the server, a hand-made client) or an impossible date must not stop the actions behind it.
 *
 * Versions (protocol/version.ts): every push and pull names the app's protocol version in the
 * `X-Fieldline-Protocol` header (none: version 1). `v` is the version the action was made with,
 * kept on the queued entry: an action queued before the app updated still has its old shape, and
 * the server upgrades it (server/sync/upgrade.ts). Absent: version 1. It may not be newer than
 * the request's own version (checked per action by the route, which knows the request's).
 */
export const MutationEnvelope = v.strictObject({
  id: Id,
  seq: Seq,
  name: v.picklist(MUTATION_NAMES, 'is not a known action'),
  args: v.unknown(),
  at: IsoDateTime,
  v: v.optional(
    v.pipe(
      v.number(),
      v.integer('must be a whole number'),
      v.minValue(1, 'must be 1 or more'),
      v.maxValue(PROTOCOL_VERSION, `must be at most ${PROTOCOL_VERSION}`),
    ),
  ),
})
export type MutationEnvelope = v.InferOutput<typeof MutationEnvelope>

/**
 * An action of a push the server could not read: answered `rejected` `invalid` with `invalid`
 * as the reason, and recorded like any rejection. `name` is what it said (cleaned and cut short,
 * '' when it was not text), for its processed record.
 */
export interface UnreadableAction {
  id: string
  seq: number
  name: string
  invalid: string
}

/** One action as the server reads a push: a valid envelope, or why it is not one. */
export type ReceivedAction = (MutationEnvelope & { invalid?: undefined }) | UnreadableAction

/**
 * What the request checks of each action: an action without a readable id or seq cannot be
 * answered on its own (the device matches answers by id, and the server keeps a device's order
 * by seq), so that still refuses the whole push with 400.
 */
const ActionKey = v.looseObject({ id: Id, seq: Seq })
type ActionKey = v.InferOutput<typeof ActionKey>

/** Reads one action's envelope; a problem becomes that action's own rejection. */
export function readAction(raw: ActionKey): ReceivedAction {
  const result = v.safeParse(MutationEnvelope, raw)
  if (result.success) return result.output
  const issue = result.issues[0]
  const unknownName = issue.path?.[0]?.key === 'name' && typeof raw.name === 'string'
  return unreadable(
    raw,
    unknownName
      ? `“${cleanString(String(raw.name).slice(0, 100))}” is not an action this server knows`
      : describeIssue(issue, 'The action'),
  )
}

/** An action answered `invalid` for `problem` (a phrase naming the field). */
export function unreadable(raw: ActionKey, problem: string): UnreadableAction {
  return {
    id: raw.id,
    seq: raw.seq,
    name: typeof raw.name === 'string' ? cleanString(raw.name.slice(0, 100)) : '',
    invalid: `This action could not be read, so it was not applied: ${problem}.`,
  }
}

/**
 * A device's proof that it is the device behind `deviceId`: random, made once with the device id
 * and kept beside it in the device's own database. The first push that carries it registers it;
 * from then on a push under that device id without it is refused (another session of the same
 * user cannot push under a device id it learnt and poison that device's order). Optional only
 * for devices from before it existed, until their next push registers one.
 */
export const DeviceSecret = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]{32,128}$/, 'must be 32 to 128 base64url characters'),
)

export const PushRequest = v.strictObject({
  deviceId: Id,
  deviceSecret: v.optional(DeviceSecret),
  mutations: v.pipe(
    v.array(v.pipe(ActionKey, v.transform(readAction))),
    v.minLength(1, 'must not be empty'),
    v.maxLength(MAX_PUSH_BATCH, `must hold at most ${MAX_PUSH_BATCH} mutations`),
  ),
})
/** A push as a device sends it. */
export interface PushRequest {
  deviceId: string
  deviceSecret?: string
  mutations: MutationEnvelope[]
}
/** A push as the server reads it: each action a valid envelope or answered `invalid` on its own. */
export type ReceivedPush = v.InferOutput<typeof PushRequest>

/**
 * What happened to one mutation:
 * - applied: done now, in this push.
 * - duplicate: this id was applied before (a resend after a lost answer); nothing changed.
 * - rejected: not applied, with the reason (validation, permission, stale order). Rejected
 *   mutations change nothing, so the device may send the same id again after a Retry. Codes
 *   include `invalid`, `forbidden`, `not_found`, `stale_seq`, `id_reused` (this id was applied
 *   before with other arguments: nothing of these was applied), `too_old` (made before the
 *   server's memory of processed ids reaches back, so it cannot tell whether it was applied),
 *   `clock_ahead` (dated more than two days ahead of the server's clock), `rate_limited` and
 *   `limit_reached` (a technician's labels per day, a job's signatures) and `internal` (the
 *   server failed on this one action; the rest of the batch went on).
 * - conflict: an edit of which some places clash: the server's value changed since the
 *   technician's base (the office, or another of their devices), and theirs differs. What did not
 *   clash WAS written (and the version went up); `conflicts` has both values of each clash and
 *   `serverVersion` the current version. "Keep mine" / "Use office's" re-send the same id,
 *   re-based on what was written (protocol/merge.ts resolveEdit).
 */
export type MutationStatus = 'applied' | 'duplicate' | 'rejected' | 'conflict'

/** The parts of a line item that merge on their own. */
export type LineAttribute = 'description' | 'quantity' | 'unitPriceCents'

/**
 * One place the office and the technician both changed since the technician's base, differently
 * (protocol/merge.ts): a field, or for line items one line (deleted on one side, edited on the
 * other: `line` without `attribute`; the values are the line or null) or one attribute of a line.
 */
export interface FieldConflict {
  /** The edit's field: 'title', 'lineItems', 'time', a form question's id… */
  field: string
  /** lineItems only: the line's id. */
  line?: string
  /** lineItems only: which part of the line; absent when the clash is about the whole line. */
  attribute?: LineAttribute
  /** The office's current value. */
  server: unknown
  /** The technician's value. */
  mine: unknown
  /** When the office last changed the thing this field belongs to, when the server knows. */
  serverAt?: string
}

export interface MutationResult {
  id: string
  seq: number
  status: MutationStatus
  /** Machine-readable reason for a rejection, e.g. "invalid", "forbidden", "not_found". */
  code?: string
  /** A sentence a technician can read. */
  reason?: string
  conflicts?: FieldConflict[]
  serverVersion?: number
}

export interface PushResponse {
  results: MutationResult[]
  /** Sequence numbers this device skipped (e.g. edits coalesced on the device); informational. */
  gaps?: Array<{ after: number; next: number }>
}

/** A row the device must drop: it was deleted, or the job is no longer this technician's. */
export interface Removal {
  table: EntityTable
  id: string
  reason: string
}

export interface PullResponse {
  /** Opaque; send it back on the next pull to get only what changed since. */
  cursor: string
  changes: { [T in EntityTable]: EntityTables[T][] }
  removed: Removal[]
  /**
   * True when there are more pages: write this one, keep its cursor, pull again with it. A page
   * holds a bounded number of rows; a pull cut between pages resumes from the last cursor kept.
   */
  more: boolean
  /** About how many entities and removals the whole pull sends (progress); null: not known. */
  total?: number | null
  serverTime: string
}
