import { fileBlob, type LocalDb } from '../../offline/localDb'
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
} from '../../protocol/entities'
import { addDays } from './router'

/** One row of the day view: the appointment with its job and customer. */
export interface Visit {
  appointment: Appointment
  job: Job | undefined
  customer: Customer | undefined
}

function dayRange(date: string): [string, string] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const [y2, m2, d2] = addDays(date, 1).split('-').map(Number) as [number, number, number]
  return [new Date(y, m - 1, d).toISOString(), new Date(y2, m2 - 1, d2).toISOString()]
}

/** The appointments of the day in view, in time order, with what each row shows. */
export async function visitsOn(db: LocalDb, date: string): Promise<Visit[]> {
  const [from, to] = dayRange(date)
  const appointments = await db.appointments
    .where('startsAt')
    .between(from, to, true, false)
    .toArray()
  return joinVisits(db, appointments)
}

async function joinVisits(db: LocalDb, appointments: Appointment[]): Promise<Visit[]> {
  appointments.sort((a, b) => a.startsAt.localeCompare(b.startsAt))
  const jobs = await db.jobs.bulkGet(appointments.map((a) => a.jobId))
  const customers = await db.customers.bulkGet(jobs.map((j) => j?.customerId ?? ''))
  return appointments.map((appointment, i) => ({
    appointment,
    job: jobs[i],
    customer: customers[i],
  }))
}

export interface JobDetail {
  job: Job
  customer: Customer | undefined
  appointments: Appointment[]
  labels: Label[]
  allLabels: Label[]
  form: JobForm | undefined
  attachments: Attachment[]
  /** Attachment ids whose full file is on this device. */
  filesHere: Set<string>
  estimates: Estimate[]
  invoices: Invoice[]
  payments: Payment[]
  signatures: Signature[]
}

const byJob = <T>(
  table: { where(i: string): { equals(v: string): { toArray(): Promise<T[]> } } },
  id: string,
) => table.where('jobId').equals(id).toArray()

/**
 * Everything the job screen shows but its notes (their own query, so saving a note re-reads
 * only the notes, not eleven tables); photos newest first.
 */
export async function jobDetail(db: LocalDb, id: string): Promise<JobDetail | null> {
  const job = await db.jobs.get(id)
  if (!job) return null
  const [
    customer,
    appointments,
    allLabels,
    forms,
    attachments,
    estimates,
    invoices,
    payments,
    signatures,
  ] = await Promise.all([
    db.customers.get(job.customerId),
    db.appointments.where('jobId').equals(id).sortBy('startsAt'),
    db.labels.toArray(),
    byJob<JobForm>(db.jobForms, id),
    byJob<Attachment>(db.attachments, id),
    byJob<Estimate>(db.estimates, id),
    byJob<Invoice>(db.invoices, id),
    byJob<Payment>(db.payments, id),
    byJob<Signature>(db.signatures, id),
  ])
  const filesHere = new Set(
    (await db.files
      .where('id')
      .anyOf(attachments.map((a) => a.id))
      .primaryKeys()) as string[],
  )
  attachments.sort((a, b) => b.takenAt.localeCompare(a.takenAt))
  // By number (E-1042-1, E-1042-2 …): the order people number them in, whatever the clocks said.
  const byNumber = (a: { number: string }, b: { number: string }) =>
    a.number.localeCompare(b.number, undefined, { numeric: true })
  estimates.sort(byNumber)
  invoices.sort(byNumber)
  allLabels.sort((a, b) => a.name.localeCompare(b.name))
  return {
    job,
    customer,
    appointments,
    labels: job.labelIds
      .map((l) => allLabels.find((x) => x.id === l))
      .filter((l): l is Label => Boolean(l)),
    allLabels,
    form: forms[0],
    attachments,
    filesHere,
    estimates,
    invoices,
    payments,
    signatures,
  }
}

/** The bytes of a photo or PDF, if this device holds them. */
export async function fileOf(db: LocalDb, id: string): Promise<Blob | undefined> {
  const row = await db.files.get(id)
  return row ? fileBlob(row) : undefined
}

/** The jobs tab: every job on the device with its next (or last) visit, soonest first. */
export async function jobsWithNextVisit(db: LocalDb, now: Date): Promise<Visit[]> {
  const all = await db.appointments.orderBy('startsAt').toArray()
  const nowIso = now.toISOString()
  const byJob = new Map<string, Appointment>()
  for (const a of all) {
    const seen = byJob.get(a.jobId)
    // Keep the first upcoming visit; for finished jobs, the latest past one.
    if (
      !seen ||
      (seen.endsAt < nowIso && a.endsAt >= nowIso) ||
      (seen.endsAt < nowIso && a.startsAt > seen.startsAt)
    ) {
      byJob.set(a.jobId, a)
    }
  }
  const visits = await joinVisits(db, [...byJob.values()])
  const upcoming = visits.filter((v) => v.appointment.endsAt >= nowIso)
  const past = visits.filter((v) => v.appointment.endsAt < nowIso).reverse()
  return [...upcoming, ...past]
}

/** A job's notes, newest first. */
export async function notesOf(db: LocalDb, jobId: string): Promise<Note[]> {
  const notes = await db.notes.where('jobId').equals(jobId).toArray()
  return notes.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
}

/** The label of every job-form field on the device, by id: Offline Actions names answers. */
export async function formFieldLabels(db: LocalDb): Promise<Map<string, string>> {
  const labels = new Map<string, string>()
  for (const form of await db.jobForms.toArray()) {
    for (const field of form.fields) labels.set(field.id, field.label)
  }
  return labels
}
