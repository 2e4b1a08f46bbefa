import { v7 as uuidv7 } from 'uuid'
import type { User } from '../protocol/auth'
import { type MutationArgs, type MutationName, parseMutationArgs } from '../protocol/mutations'
import { localActions } from './actions'
import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

export type PerformResult =
  | { ok: true; entry: OutboxEntry }
  | { ok: false; reason: string; code: 'invalid' | 'storage_full' }

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
): Promise<PerformResult> {
  const parsed = parseMutationArgs(name, input)
  if (!parsed.ok) return { ok: false, reason: parsed.reason, code: 'invalid' }
  const args: MutationArgs<N> = parsed.args
  const action = localActions[name]
  try {
    const entry = await db.transaction('rw', [db.outbox, ...action.tables(db)], async () => {
      const info = await action.describe(db, args)
      await action.apply(db, args, user)
      const row: OutboxEntry = {
        id: uuidv7(),
        name,
        args,
        at: new Date().toISOString(),
        status: 'queued',
        attempts: 0,
        ...info,
      }
      row.seq = await db.outbox.add(row)
      return row
    })
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

export function isQuotaError(err: unknown): boolean {
  const e = err as { name?: string; inner?: { name?: string } } | undefined
  return e?.name === 'QuotaExceededError' || e?.inner?.name === 'QuotaExceededError'
}
