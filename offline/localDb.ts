import Dexie, { type EntityTable, liveQuery } from 'dexie'
import type { Appointment, Customer, Job, Note } from '../protocol/entities'
import type { OutboxEntry } from './outboxEntry'

/** Small facts about this device's copy: device id, pull cursor, times of last pull/sync. */
export interface MetaRow {
  key: string
  value: unknown
}

/**
 * The technician's data on this device, one IndexedDB database per signed-in user (so on a
 * shared tablet one technician never reads another's jobs). This module and its siblings in
 * offline/ are the only code that touches Dexie; the UI reads signals fed by live queries.
 * Indexes are only those a screen or the sync queries: every index costs on each pull.
 */
export class LocalDb extends Dexie {
  customers!: EntityTable<Customer, 'id'>
  jobs!: EntityTable<Job, 'id'>
  appointments!: EntityTable<Appointment, 'id'>
  notes!: EntityTable<Note, 'id'>
  outbox!: EntityTable<OutboxEntry, 'seq'>
  meta!: EntityTable<MetaRow, 'key'>

  constructor(readonly userId: string) {
    super(localDbName(userId))
    this.version(1).stores({
      customers: 'id',
      jobs: 'id, number',
      appointments: 'id, startsAt, jobId',
      notes: 'id, jobId',
      outbox: '++seq, id, status',
      meta: 'key',
    })
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.meta.get(key))?.value as T | undefined
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.meta.put({ key, value })
  }
}

export const localDbName = (userId: string) => `fieldline-user-${userId}`

const open = new Map<string, LocalDb>()

/** One LocalDb instance per user per JS context (page or service worker). */
export function localDbFor(userId: string): LocalDb {
  let db = open.get(userId)
  if (!db) {
    db = new LocalDb(userId)
    open.set(userId, db)
  }
  return db
}

/** Deletes a user's local database (sign-out, "Clear local data"). */
export async function deleteLocalDb(userId: string): Promise<void> {
  const db = open.get(userId)
  open.delete(userId)
  db?.close()
  await Dexie.delete(localDbName(userId))
}

export { liveQuery }
