/**
 * Kysely's view of the database: one interface per table, columns in snake_case as stored.
 * Times are ISO-8601 UTC strings in TEXT columns and JSON is TEXT, so the same migrations run
 * on SQLite and PostgreSQL; code maps rows to the protocol's camelCase in db/rows.ts.
 */

import type { Role } from '../../protocol/auth'
import type { AppointmentStatus, JobStatus } from '../../protocol/entities'

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
}

export interface NotesTable {
  id: string
  job_id: string
  author_id: string
  body: string
  created_at: string
  rev: number
}

export interface DevicesTable {
  id: string
  user_id: string
  last_seq: number
}

export interface ProcessedMutationsTable {
  /** The mutation's own uuid: the key that makes a resend a no-op. */
  id: string
  device_id: string
  seq: number
  user_id: string
  name: string
  status: 'applied' | 'rejected'
  code: string | null
  reason: string | null
  processed_at: string
}

export interface TombstonesTable {
  rev: number
  /** The technician whose device must drop the row. */
  technician_id: string
  table_name: 'customers' | 'jobs' | 'appointments' | 'notes'
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
  customers: CustomersTable
  jobs: JobsTable
  appointments: AppointmentsTable
  notes: NotesTable
  devices: DevicesTable
  processed_mutations: ProcessedMutationsTable
  tombstones: TombstonesTable
  counters: CountersTable
}
