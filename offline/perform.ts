import { v7 as uuidv7 } from 'uuid'
import type { User } from '../protocol/auth'
import { type MutationArgs, type MutationName, parseMutationArgs } from '../protocol/mutations'
import { PROTOCOL_VERSION, UNNAMED_PROTOCOL_VERSION } from '../protocol/version'
import { actionFor } from './actions'
import { inFlight } from './inFlight'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

export type PerformResult =
  | { ok: true; entry: OutboxEntry }
  | { ok: false; reason: string; code: 'invalid' | 'storage_full' }

export interface PerformOptions {
  /** The bytes of a photo or PDF (attachment.add); stored in `files`, never in the queue. */
  blob?: Blob
}

/**
 * Does one action on the device: checks it with the same schema the server uses, applies it
 * to the local data and queues it, all in one IndexedDB transaction, so the screen can never
 * show something that is not also queued for upload (and vice versa). A full device aborts
 * the whole transaction: nothing half-saved, nothing saved before is touched.
 */
export async function perform<N extends MutationName>(
  db: LocalDb,
  user: User,
  name: N,
  input: unknown,
  opts: PerformOptions = {},
): Promise<PerformResult> {
  const parsed = parseMutationArgs(name, input)
  if (!parsed.ok) return { ok: false, reason: parsed.reason, code: 'invalid' }
  const args: MutationArgs<N> = parsed.args
  const action = actionFor(name)
  // Read the file before the transaction: awaiting anything but IndexedDB inside it ends it.
  const data = opts.blob ? await opts.blob.arrayBuffer() : undefined
  try {
    const entry = await db.transaction(
      'rw',
      [db.outbox, db.files, db.meta, ...action.tables(db)],
      async () => {
        const folded = await coalesceIntoLast(db, user, name, args)
        if (folded) return folded
        const info = await action.describe(db, args)
        await action.apply(db, args, user)
        const row: OutboxEntry = {
          id: uuidv7(),
          name,
          args,
          v: PROTOCOL_VERSION,
          at: new Date().toISOString(),
          status: 'queued',
          attempts: 0,
          ...info,
        }
        if (data && 'sha256' in args && 'size' in args && 'mimeType' in args && 'id' in args) {
          await db.files.put({ id: args.id as string, data, type: args.mimeType as string })
          row.file = {
            id: args.id as string,
            size: args.size as number,
            mimeType: args.mimeType as string,
            sha256: args.sha256 as string,
            uploaded: false,
          }
        }
        row.seq = await db.outbox.add(row)
        return row
      },
    )
    return { ok: true, entry }
  } catch (err) {
    if (isQuotaError(err)) {
      return {
        ok: false,
        code: 'storage_full',
        reason:
          'This device is out of storage space, so this was not saved. Everything saved before is safe. Free up space, or go online so queued actions can upload.',
      }
    }
    throw err
  }
}

/**
 * Repeated edits of the same thing while offline become one upload: an edit folds into the
 * newest queue entry if that entry is a still-Queued edit of the same entity. Only the newest
 * entry is ever folded into, so the order of different actions is kept exactly.
 */
async function coalesceIntoLast(
  db: LocalDb,
  user: User,
  name: MutationName,
  args: unknown,
): Promise<OutboxEntry | null> {
  const action = actionFor(name)
  if (!action.coalesce) return null
  const last = await db.outbox.orderBy('seq').last()
  // Never into an entry already sent: the server may hold its id with the old args (its answer
  // was lost), and the same id with other args is refused; the newer edit gets its own entry.
  if (!last || last.name !== name || last.status !== 'queued' || last.sent) return null
  if ((await inFlight(db)).has(last.seq as number)) return null
  // Never into an action made by an older version of the app: its args are in that version's
  // shape (the server upgrades them as a whole), and a fold would mix two shapes in one entry.
  if ((last.v ?? UNNAMED_PROTOCOL_VERSION) !== PROTOCOL_VERSION) return null
  const merged = action.coalesce(last.args, args)
  if (!merged) return null
  await action.apply(db, args, user)
  await db.outbox.update(last.seq as number, { args: merged, at: new Date().toISOString() })
  return { ...last, args: merged }
}

export function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; inner?: { name?: string } } | undefined
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError'
}
