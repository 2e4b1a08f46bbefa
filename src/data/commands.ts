import { v7 as uuidv7 } from 'uuid'
import { retryEntry } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import type { MutationName } from '../../protocol/mutations'
import { SAVED_OFFLINE, showToast } from './alerts'
import { connection } from './connection'
import { activeDb, user } from './session'
import { requestBackgroundSync } from './swBridge'
import { syncNow } from './sync'

export type CommandResult = { ok: true } | { ok: false; message: string }

/**
 * Every change a technician makes goes through here: saved on the device at once (with its
 * queue entry), then uploaded by Background Sync where the browser has it, and by the page
 * right away when the connection is up.
 */
async function run(name: MutationName, args: unknown): Promise<CommandResult> {
  const db = activeDb()
  const me = user.value
  if (!db || !me) return { ok: false, message: 'Sign in first.' }
  const result = await perform(db, me, name, args)
  if (!result.ok) {
    showToast(result.reason, 'error', 8_000)
    return { ok: false, message: result.reason }
  }
  if (connection.value !== 'online') showToast(SAVED_OFFLINE, 'offline')
  void requestBackgroundSync()
  if (connection.value !== 'offline') void syncNow()
  return { ok: true }
}

export function addNote(jobId: string, body: string): Promise<CommandResult> {
  return run('note.add', { id: uuidv7(), jobId, body, createdAt: new Date().toISOString() })
}

/** Retry on a Failed action: back to Queued in its place, and upload now. */
export async function retryAction(seq: number): Promise<void> {
  const db = activeDb()
  if (!db) return
  await retryEntry(db, seq)
  void syncNow()
}
