/**
 * Column lists and row → protocol mappers. Queries select exactly these columns, so a pull of
 * thousands of rows moves no more than the device needs.
 */
import type { Selectable } from 'kysely'
import type { Appointment, Customer, Job, Note } from '../../protocol/entities'
import type { AppointmentsTable, CustomersTable, JobsTable } from './schema'

export const customerColumns = [
  'customers.id',
  'customers.name',
  'customers.phones',
  'customers.email',
  'customers.address',
  'customers.version',
] as const

export const jobColumns = [
  'jobs.id',
  'jobs.number',
  'jobs.title',
  'jobs.description',
  'jobs.address',
  'jobs.status',
  'jobs.customer_id',
  'jobs.technician_id',
  'jobs.version',
  'jobs.updated_at',
] as const

export const appointmentColumns = [
  'appointments.id',
  'appointments.job_id',
  'appointments.starts_at',
  'appointments.ends_at',
  'appointments.status',
  'appointments.version',
] as const

type CustomerRow = Omit<Selectable<CustomersTable>, 'rev'>
type JobRow = Omit<Selectable<JobsTable>, 'rev'>
type AppointmentRow = Omit<Selectable<AppointmentsTable>, 'rev'>
export interface NoteRow {
  id: string
  job_id: string
  author_id: string
  author_name: string
  body: string
  created_at: string
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    name: row.name,
    phones: JSON.parse(row.phones) as string[],
    email: row.email,
    address: row.address,
    version: row.version,
  }
}

export function toJob(row: JobRow): Job {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    address: row.address,
    status: row.status,
    customerId: row.customer_id,
    technicianId: row.technician_id,
    version: row.version,
    updatedAt: row.updated_at,
  }
}

export function toAppointment(row: AppointmentRow): Appointment {
  return {
    id: row.id,
    jobId: row.job_id,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    status: row.status,
    version: row.version,
  }
}

export function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    jobId: row.job_id,
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
  }
}
