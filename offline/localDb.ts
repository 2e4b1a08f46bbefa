import Dexie, { type EntityTable, liveQuery, type Table } from 'dexie'
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
import { UNNAMED_PROTOCOL_VERSION } from '../protocol/version'
import type { DraftRow } from './drafts'
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

/** The tables and indexes of versions 2 and 3; exported for the upgrade test. */
export const STORES = {
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
}

/** Version 4 adds the editors' drafts (offline/drafts.ts); every other table as in STORES. */
export const STORES_4 = { ...STORES, drafts: 'key' }

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
  drafts!: EntityTable<DraftRow, 'key'>

  constructor(readonly userId: string) {
    super(localDbName(userId))
    this.version(2).stores(STORES)
    // Version 3 (protocol 2): every queued action names the protocol version it was made with.
    // Same tables and indexes; the upgrade only stamps the entries queued before it. Dexie runs
    // it inside the version-change transaction: if it throws, the whole upgrade is aborted and
    // the database stays at version 2 with its queue and files as they were (tested in
    // tests/unit/localDbUpgrade.test.ts). A page of the old build still open holds the old
    // version; Dexie closes it on `versionchange` and the update flow reloads it.
    this.version(3)
      .stores(STORES)
      .upgrade((tx) => stampProtocolVersion(tx.table('outbox')))
    // Version 4: a new, empty `drafts` store and nothing else changed, so no upgrade function:
    // creating a store leaves the others' rows as they are (tests/unit/localDbUpgrade.test.ts
    // opens a version 3 database with a queue, files and meta, and a version 2 one, with it).
    // Drafts are not in the outbox or in any pull, and a new store only ever starts empty.
    this.version(4).stores(STORES_4)
  }

  /**
   * Every table but the drafts: for the transactions that take all the data (retention, discard,
   * conflict resolution), so an editor's draft write never waits behind them (a draft written as
   * the page is hidden has only that moment).
   */
  dataTables() {
    return this.tables.filter((t) => t.name !== 'drafts')
  }

  async getMeta<T>(key: string): Promise<T | undefined> {
    return (await this.meta.get(key))?.value as T | undefined
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.meta.put({ key, value })
  }
}

/**
 * Entries queued before version 3 were made by an app that named no protocol: version 1. Exported
 * for the upgrade test, which also runs a failing version of it.
 */
export function stampProtocolVersion(outbox: Table<OutboxEntry, number>): Promise<number> {
  return outbox.toCollection().modify((entry) => {
    if (entry.v === undefined) entry.v = UNNAMED_PROTOCOL_VERSION
  })
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
