/**
 * What the server sends a technician's device, and what the device stores. Every entity has
 * a server-assigned `version` that increases on each change (edits carry the version they
 * were made on, so the server can tell when the office changed the same thing meanwhile).
 * Times are ISO-8601 strings in UTC.
 */

export interface Customer {
  id: string
  name: string
  phones: string[]
  email: string | null
  address: string
  version: number
}

export const JOB_STATUSES = [
  'scheduled',
  'in_progress',
  'on_hold',
  'completed',
  'cancelled',
] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

export interface Job {
  id: string
  /** Human job number shown as "Job #1042". */
  number: number
  title: string
  description: string
  address: string
  status: JobStatus
  customerId: string
  technicianId: string
  version: number
  updatedAt: string
}

export const APPOINTMENT_STATUSES = [
  'scheduled',
  'en_route',
  'started',
  'completed',
  'cancelled',
] as const
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number]

export interface Appointment {
  id: string
  jobId: string
  startsAt: string
  endsAt: string
  status: AppointmentStatus
  version: number
}

export interface Note {
  id: string
  jobId: string
  authorId: string
  authorName: string
  body: string
  createdAt: string
}

/** The entity tables a pull carries, keyed by the name the device's database uses. */
export interface EntityTables {
  customers: Customer
  jobs: Job
  appointments: Appointment
  notes: Note
}
export type EntityTable = keyof EntityTables
export const ENTITY_TABLES: readonly EntityTable[] = ['customers', 'jobs', 'appointments', 'notes']
