import type { MutationName } from '../protocol/mutations'
import type { FieldConflict } from '../protocol/sync'

/**
 * Where a queued action stands. The words are the ones technicians see in Offline Actions:
 * Queued (waiting), Uploading (in a push right now), Failed (the server refused it; Retry or
 * Discard), Conflict (the office changed the same thing; reserved for the conflict rules).
 */
export type OutboxStatus = 'queued' | 'uploading' | 'failed' | 'conflict'

/** One action in the device's offline actions queue (the Dexie `outbox` table). */
export interface OutboxEntry {
  /** Auto-increment key: the order the technician made the actions in, and the push `seq`. */
  seq?: number
  /** UUIDv7 of the mutation; the server records it so a resend is never applied twice. */
  id: string
  name: MutationName
  /** In the shape of protocol version `v`. */
  args: unknown
  /**
   * The protocol version the action was made with (protocol/version.ts); it travels with the
   * action, and the server upgrades older shapes. Entries queued before versions existed are
   * stamped 1 by the database upgrade (localDb.ts).
   */
  v?: number
  /** When the action was made (ISO). */
  at: string
  status: OutboxStatus
  attempts: number
  /** The server's reason for a Failed entry, in words. */
  reason?: string
  code?: string
  /** What it is, for the Offline Actions list, e.g. "Note on Job #1042 — Replace water heater". */
  label: string
  /** The job it belongs to, so the list can open it and the job can show it is pending. */
  jobId?: string
  /**
   * Entities this action touches, as "table:id": the pending highlight and retention read them.
   * The first is the entity the action creates or changes: a Failed entry holds back later
   * entries on that same entity (their order matters), while entries on other entities keep
   * uploading.
   */
  entityKeys: string[]
  /**
   * Entities this action needs as the device saw them, besides its own: a later entry is held
   * back when one of these was created or changed by an entry that Failed (a payment on an
   * invoice whose creation or edit failed; an invoice made from a failed estimate). A note on a
   * job does not depend on the job's failed title edit. Entries queued by versions before this
   * field derive it (see holdKeys in outbox.ts).
   */
  dependsOn?: string[]
  /**
   * True once the entry has been in a push: the server may have recorded its id with these args,
   * so they must never change under the same id (a newer edit is queued as a new entry).
   */
  sent?: boolean
  /**
   * Bisection (syncEngine.ts): the longest batch this entry may lead after the server failed on
   * batches it was in (halved each time), and how many times it failed when sent alone.
   */
  batchLimit?: number
  serverErrors?: number
  /**
   * A photo or PDF this action carries. Its bytes live in the `files` table and upload on their
   * own request (keyed by id and SHA-256) before the action itself is pushed.
   */
  file?: OutboxFile
  /** For a Conflict: each field both sides changed, and the office's current version. */
  conflicts?: FieldConflict[]
  serverVersion?: number
}

export interface OutboxFile {
  id: string
  size: number
  mimeType: string
  sha256: string
  /** True once the server has confirmed it holds these bytes. */
  uploaded: boolean
}

export const entityKey = (table: string, id: string) => `${table}:${id}`
