/**
 * Column lists and row → protocol mappers. Queries select exactly these columns, so a pull of
 * thousands of rows moves no more than the device needs.
 */
import type { Selectable } from 'kysely'
import type {
  Appointment,
  Attachment,
  Customer,
  Estimate,
  FormAnswer,
  FormField,
  Invoice,
  Job,
  JobForm,
  Label,
  LineItem,
  Note,
  Payment,
  Signature,
} from '../../protocol/entities'
import type {
  AppointmentsTable,
  AttachmentsTable,
  CustomersTable,
  EstimatesTable,
  InvoicesTable,
  JobFormsTable,
  JobsTable,
  LabelsTable,
  PaymentsTable,
  SignaturesTable,
} from './schema'

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
  'jobs.label_ids',
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
type AppointmentRow = Omit<Selectable<AppointmentsTable>, 'rev' | 'updated_at'>
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
    labelIds: JSON.parse(row.label_ids) as string[],
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

export const labelColumns = ['labels.id', 'labels.name', 'labels.color'] as const

export const jobFormColumns = [
  'job_forms.id',
  'job_forms.job_id',
  'job_forms.name',
  'job_forms.fields',
  'job_forms.answers',
  'job_forms.version',
] as const

export const attachmentColumns = [
  'attachments.id',
  'attachments.job_id',
  'attachments.kind',
  'attachments.filename',
  'attachments.mime_type',
  'attachments.size',
  'attachments.sha256',
  'attachments.taken_at',
  'attachments.thumbnail',
  'attachments.created_at',
] as const

export const estimateColumns = [
  'estimates.id',
  'estimates.job_id',
  'estimates.number',
  'estimates.status',
  'estimates.line_items',
  'estimates.tax_rate_bps',
  'estimates.created_at',
  'estimates.version',
] as const

export const invoiceColumns = [
  'invoices.id',
  'invoices.job_id',
  'invoices.number',
  'invoices.status',
  'invoices.line_items',
  'invoices.tax_rate_bps',
  'invoices.estimate_id',
  'invoices.created_at',
  'invoices.version',
] as const

export const paymentColumns = [
  'payments.id',
  'payments.invoice_id',
  'payments.job_id',
  'payments.method',
  'payments.amount_cents',
  'payments.reference',
  'payments.received_at',
  'payments.created_at',
] as const

export const signatureColumns = [
  'signatures.id',
  'signatures.job_id',
  'signatures.subject_type',
  'signatures.subject_id',
  'signatures.signer_name',
  'signatures.signed_at',
  'signatures.image',
] as const

export function toLabel(row: Pick<Selectable<LabelsTable>, 'id' | 'name' | 'color'>): Label {
  return { id: row.id, name: row.name, color: row.color }
}

export function toJobForm(row: Omit<Selectable<JobFormsTable>, 'rev' | 'updated_at'>): JobForm {
  return {
    id: row.id,
    jobId: row.job_id,
    name: row.name,
    fields: JSON.parse(row.fields) as FormField[],
    answers: JSON.parse(row.answers) as Record<string, FormAnswer>,
    version: row.version,
  }
}

export function toAttachment(
  row: Omit<Selectable<AttachmentsTable>, 'rev' | 'uploaded_by'>,
): Attachment {
  return {
    id: row.id,
    jobId: row.job_id,
    kind: row.kind,
    filename: row.filename,
    mimeType: row.mime_type,
    size: Number(row.size),
    sha256: row.sha256,
    takenAt: row.taken_at,
    thumbnail: row.thumbnail,
    createdAt: row.created_at,
  }
}

export function toEstimate(row: Omit<Selectable<EstimatesTable>, 'rev' | 'updated_at'>): Estimate {
  return {
    id: row.id,
    jobId: row.job_id,
    number: row.number,
    status: row.status,
    lineItems: JSON.parse(row.line_items) as LineItem[],
    taxRateBps: row.tax_rate_bps,
    createdAt: row.created_at,
    version: row.version,
  }
}

export function toInvoice(row: Omit<Selectable<InvoicesTable>, 'rev' | 'updated_at'>): Invoice {
  return {
    id: row.id,
    jobId: row.job_id,
    number: row.number,
    status: row.status,
    lineItems: JSON.parse(row.line_items) as LineItem[],
    taxRateBps: row.tax_rate_bps,
    estimateId: row.estimate_id,
    createdAt: row.created_at,
    version: row.version,
  }
}

export function toPayment(row: Omit<Selectable<PaymentsTable>, 'rev'>): Payment {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    jobId: row.job_id,
    method: row.method,
    // bigint: a string on PostgreSQL without the type parser; Number() either way.
    amountCents: Number(row.amount_cents),
    reference: row.reference,
    receivedAt: row.received_at,
    createdAt: row.created_at,
  }
}

export function toSignature(row: Omit<Selectable<SignaturesTable>, 'rev'>): Signature {
  return {
    id: row.id,
    jobId: row.job_id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    signerName: row.signer_name,
    signedAt: row.signed_at,
    image: row.image,
  }
}
