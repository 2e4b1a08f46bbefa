/**
 * Kysely's view of the database: one interface per table, columns in snake_case as stored.
 * Times are ISO-8601 UTC strings in TEXT columns and JSON is TEXT, so the same migrations run
 * on SQLite and PostgreSQL; code maps rows to the protocol's camelCase in db/rows.ts.
 */

import type { Role } from '../../protocol/auth'
import type {
  AppointmentStatus,
  AttachmentKind,
  EntityTable,
  EstimateStatus,
  InvoiceStatus,
  JobStatus,
  PaymentMethod,
  SignatureSubject,
} from '../../protocol/entities'

export interface UsersTable {
  id: string
  email: string
  name: string
  role: Role
  password_hash: string
}

export interface SessionsTable {
  /** sha256 hex of the cookie token: a leaked database does not hand out live sessions. */
  id: string
  user_id: string
  created_at: string
  expires_at: string
  /**
   * sha256 hex of the revocation token the sign-in answer gave the device (null for sessions
   * made before it existed): lets a device that signed out offline end this session later.
   */
  revocation_hash: string | null
}

/** One failed sign-in per key (`email:…` / `ip:…`), for the sign-in rate limit. */
export interface SigninFailuresTable {
  id: string
  key: string
  at: string
}

export interface CustomersTable {
  id: string
  name: string
  /** JSON array of strings. */
  phones: string
  email: string | null
  address: string
  version: number
  rev: number
}

export interface JobsTable {
  id: string
  number: number
  title: string
  description: string
  address: string
  status: JobStatus
  customer_id: string
  technician_id: string
  /** JSON array of label ids (labels are few and global; a join table would buy nothing). */
  label_ids: string
  version: number
  rev: number
  updated_at: string
}

export interface AppointmentsTable {
  id: string
  job_id: string
  starts_at: string
  ends_at: string
  status: AppointmentStatus
  version: number
  rev: number
  /** Last change (ISO), null for rows from before migration 0008. */
  updated_at: string | null
}

export interface NotesTable {
  id: string
  job_id: string
  author_id: string
  body: string
  created_at: string
  rev: number
}

/** Company-wide labels: not scoped to a job, every device gets them all. */
export interface LabelsTable {
  id: string
  name: string
  color: string
  rev: number
  /** Who made it with label.create, and when (null for the seed's and older labels). */
  created_by: string | null
  created_at: string | null
}

export interface JobFormsTable {
  id: string
  job_id: string
  name: string
  /** JSON array of FormField. */
  fields: string
  /** JSON object field id → answer. */
  answers: string
  version: number
  rev: number
  /** Last change (ISO), null for rows from before migration 0008. */
  updated_at: string | null
}

export interface AttachmentsTable {
  id: string
  job_id: string
  kind: AttachmentKind
  filename: string
  mime_type: string
  size: number
  sha256: string
  taken_at: string
  /** data: URL, null for PDFs. */
  thumbnail: string | null
  created_at: string
  uploaded_by: string
  rev: number
}

/** The uploaded bytes' metadata (the bytes are in the BlobStore under the same id). */
export interface AttachmentFilesTable {
  id: string
  sha256: string
  size: number
  mime_type: string
  uploaded_by: string
  created_at: string
}

/** Attachment bytes when the blob store is PostgreSQL (blobs/postgres.ts); empty on SQLite. */
export interface AttachmentBlobsTable {
  id: string
  bytes: Buffer
}

export interface EstimatesTable {
  id: string
  job_id: string
  number: string
  status: EstimateStatus
  /** JSON array of LineItem. */
  line_items: string
  tax_rate_bps: number
  created_at: string
  version: number
  rev: number
  /** Last change (ISO), null for rows from before migration 0008. */
  updated_at: string | null
}

export interface InvoicesTable {
  id: string
  job_id: string
  number: string
  status: InvoiceStatus
  line_items: string
  tax_rate_bps: number
  estimate_id: string | null
  created_at: string
  version: number
  rev: number
  /** Last change (ISO), null for rows from before migration 0008. */
  updated_at: string | null
}

export interface PaymentsTable {
  id: string
  invoice_id: string
  job_id: string
  method: PaymentMethod
  amount_cents: number
  reference: string | null
  received_at: string
  created_at: string
  rev: number
}

export interface SignaturesTable {
  id: string
  job_id: string
  subject_type: SignatureSubject
  subject_id: string
  signer_name: string
  signed_at: string
  /** PNG data: URL. */
  image: string
  rev: number
}

export interface DevicesTable {
  id: string
  user_id: string
  last_seq: number
  /** SHA-256 (hex) of the secret the device registered with its first push; null for devices from before. */
  secret_hash: string | null
}

export interface ProcessedMutationsTable {
  /** The mutation's own uuid: with user_id, the key that makes a resend a no-op. */
  id: string
  device_id: string
  seq: number
  user_id: string
  name: string
  /** 'rejected' and 'conflict' changed nothing: the same id may be sent again and re-evaluated. */
  status: 'applied' | 'rejected' | 'conflict'
  code: string | null
  reason: string | null
  processed_at: string
  /** SHA-256 (hex) of the mutation's name and canonical args; null for rows from before 0005. */
  args_hash: string | null
}

export interface TombstonesTable {
  rev: number
  /** The technician whose device must drop the row. */
  technician_id: string
  /** The protocol's table name (EntityTable), so a tombstone maps to a Removal as is. */
  table_name: EntityTable
  entity_id: string
  reason: string
}

export interface CountersTable {
  name: string
  value: number
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  signin_failures: SigninFailuresTable
  customers: CustomersTable
  jobs: JobsTable
  appointments: AppointmentsTable
  notes: NotesTable
  labels: LabelsTable
  job_forms: JobFormsTable
  attachments: AttachmentsTable
  attachment_files: AttachmentFilesTable
  attachment_blobs: AttachmentBlobsTable
  estimates: EstimatesTable
  invoices: InvoicesTable
  payments: PaymentsTable
  signatures: SignaturesTable
  devices: DevicesTable
  processed_mutations: ProcessedMutationsTable
  tombstones: TombstonesTable
  counters: CountersTable
}
