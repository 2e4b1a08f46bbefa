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
  /** Ids of the labels applied to the job (see Label). */
  labelIds: string[]
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

/** A company-wide job label ("Warranty", "Needs part"); technicians may create new ones. */
export interface Label {
  id: string
  name: string
  /** A CSS hex colour, #rrggbb. */
  color: string
}

export const FORM_FIELD_TYPES = ['text', 'number', 'yesno', 'choice'] as const
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number]

export interface FormField {
  id: string
  label: string
  type: FormFieldType
  /** The choices of a `choice` field. */
  options?: string[]
  required?: boolean
}

/** text → string, number → number, yesno → boolean, choice → one of the options; null = blank. */
export type FormAnswer = string | number | boolean | null

/** The job form: a template of fields and the technician's answers, one per job. */
export interface JobForm {
  id: string
  jobId: string
  name: string
  fields: FormField[]
  answers: Record<string, FormAnswer>
  version: number
}

export const ATTACHMENT_KINDS = ['photo', 'pdf'] as const
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number]

/**
 * A photo or PDF on a job. The file itself travels on its own requests
 * (PUT/GET /api/attachments/:id/file); the pull carries this record with a small thumbnail.
 */
export interface Attachment {
  id: string
  jobId: string
  kind: AttachmentKind
  filename: string
  mimeType: string
  /** Bytes of the full file. */
  size: number
  /** Hex SHA-256 of the full file: the upload's idempotency key with the id. */
  sha256: string
  takenAt: string
  /** A small JPEG as a data: URL (photos; null for PDFs). */
  thumbnail: string | null
  createdAt: string
}

/** A priced line. Quantity may have up to 2 decimals (1.5 h); money is integer cents. */
export interface LineItem {
  id: string
  description: string
  quantity: number
  unitPriceCents: number
}

export const ESTIMATE_STATUSES = ['draft', 'sent', 'approved', 'declined'] as const
export type EstimateStatus = (typeof ESTIMATE_STATUSES)[number]

export interface Estimate {
  id: string
  jobId: string
  /** "E-1042-1": job number and a count, made by whoever creates it. */
  number: string
  status: EstimateStatus
  lineItems: LineItem[]
  /** Tax rate in basis points (825 = 8.25 %). */
  taxRateBps: number
  createdAt: string
  version: number
}

export const INVOICE_STATUSES = ['draft', 'sent', 'paid', 'void'] as const
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number]

export interface Invoice {
  id: string
  jobId: string
  /** "I-1042-1". */
  number: string
  status: InvoiceStatus
  lineItems: LineItem[]
  taxRateBps: number
  /** The estimate it was made from, if any. */
  estimateId: string | null
  createdAt: string
  version: number
}

/** Non-credit-card payment methods a technician can record in the field. */
export const PAYMENT_METHODS = ['cash', 'check', 'other'] as const
export type PaymentMethod = (typeof PAYMENT_METHODS)[number]

export interface Payment {
  id: string
  invoiceId: string
  jobId: string
  method: PaymentMethod
  amountCents: number
  /** Check number, or what "other" was. */
  reference: string | null
  receivedAt: string
  createdAt: string
}

export const SIGNATURE_SUBJECTS = ['job', 'estimate', 'invoice'] as const
export type SignatureSubject = (typeof SIGNATURE_SUBJECTS)[number]

export interface Signature {
  id: string
  jobId: string
  /** What was signed: the job itself (work done), an estimate or an invoice. */
  subjectType: SignatureSubject
  subjectId: string
  signerName: string
  signedAt: string
  /** The signature as a PNG data: URL: drawn with a finger, or the signer's typed name in script. */
  image: string
}

/** The entity tables a pull carries, keyed by the name the device's database uses. */
export interface EntityTables {
  customers: Customer
  jobs: Job
  appointments: Appointment
  notes: Note
  labels: Label
  jobForms: JobForm
  attachments: Attachment
  estimates: Estimate
  invoices: Invoice
  payments: Payment
  signatures: Signature
}
export type EntityTable = keyof EntityTables
export const ENTITY_TABLES: readonly EntityTable[] = [
  'customers',
  'jobs',
  'appointments',
  'notes',
  'labels',
  'jobForms',
  'attachments',
  'estimates',
  'invoices',
  'payments',
  'signatures',
]
