import Dexie, { type EntityTable, liveQuery } from 'dexie'
import type {
  Appointment,
  Attachment,
  Customer,
  Estimate,
  Invoice,
  Job,
  JobForm,
  Label,
  Note,
  Payment,
  Signature,
} from '../protocol/entities'
import type { OutboxEntry } from './outboxEntry'

/** Small facts about this device's copy: device id, pull cursor, times of last pull/sync. */
export interface MetaRow {
  key: string
  value: unknown
}

/**
 * The bytes of a photo or PDF, kept apart from the records so lists never load them. Stored
 * as an ArrayBuffer, not a Blob: WebKit refuses Blobs in IndexedDB in ephemeral sessions
 * (Safari private browsing, WebKitGTK automation) with "Error preparing Blob/File data".
 */
export interface FileRow {
  id: string
  data: ArrayBuffer
  type: string
}

export const fileBlob = (row: FileRow) => new Blob([row.data], { type: row.type })

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
  labels!: EntityTable<Label, 'id'>
  jobForms!: EntityTable<JobForm, 'id'>
  attachments!: EntityTable<Attachment, 'id'>
  estimates!: EntityTable<Estimate, 'id'>
  invoices!: EntityTable<Invoice, 'id'>
  payments!: EntityTable<Payment, 'id'>
  signatures!: EntityTable<Signature, 'id'>
  files!: EntityTable<FileRow, 'id'>
  outbox!: EntityTable<OutboxEntry, 'seq'>
  meta!: EntityTable<MetaRow, 'key'>

  constructor(readonly userId: string) {
    super(localDbName(userId))
    this.version(2).stores({
      customers: 'id',
      jobs: 'id, number',
      appointments: 'id, startsAt, jobId',
      notes: 'id, jobId',
      labels: 'id',
      jobForms: 'id, jobId',
      attachments: 'id, jobId',
      estimates: 'id, jobId',
      invoices: 'id, jobId',
      payments: 'id, invoiceId, jobId',
      signatures: 'id, jobId',
      files: 'id',
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
