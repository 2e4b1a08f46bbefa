import type { LocalDb } from '../../offline/localDb'
import type { Appointment, Customer, Job, Note } from '../../protocol/entities'
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
  notes: Note[]
}

/** Everything the job screen shows; notes newest first. */
export async function jobDetail(db: LocalDb, id: string): Promise<JobDetail | null> {
  const job = await db.jobs.get(id)
  if (!job) return null
  const [customer, appointments, notes] = await Promise.all([
    db.customers.get(job.customerId),
    db.appointments.where('jobId').equals(id).sortBy('startsAt'),
    db.notes.where('jobId').equals(id).toArray(),
  ])
  notes.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return { job, customer, appointments, notes }
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
