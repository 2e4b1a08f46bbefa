import type { Kysely } from 'kysely'
import type { FormField } from '../../protocol/entities'
import type { Database } from '../../server/db/schema'
import { ALEX, DANA, JORDAN, SAM } from '../server/helpers'

/**
 * The seeded rows the arbitraries refer to, so most generated mutations name a real job,
 * estimate, invoice, appointment, form or label and actually apply. Read once per store at the
 * start; the test checks both stores hold the same catalog (the seed is deterministic for a
 * day), so one set of ids serves both.
 */
export interface Catalog {
  users: { alex: string; sam: string; jordan: string; dana: string }
  jobs: Array<{ id: string; number: number; technicianId: string }>
  estimates: Array<{ id: string; jobId: string }>
  invoices: Array<{ id: string; jobId: string }>
  appointments: Array<{ id: string; jobId: string }>
  forms: Array<{ id: string; jobId: string; fields: FormField[] }>
  labels: string[]
}

export async function readCatalog(db: Kysely<Database>): Promise<Catalog> {
  const users = await db.selectFrom('users').select(['id', 'email']).execute()
  const idOf = (email: string) => users.find((u) => u.email === email)?.id ?? ''
  const byJob = (rows: Array<{ id: string; job_id: string }>) =>
    rows.map((r) => ({ id: r.id, jobId: r.job_id }))
  return {
    users: { alex: idOf(ALEX), sam: idOf(SAM), jordan: idOf(JORDAN), dana: idOf(DANA) },
    jobs: (
      await db.selectFrom('jobs').select(['id', 'number', 'technician_id']).orderBy('id').execute()
    ).map((j) => ({ id: j.id, number: j.number, technicianId: j.technician_id })),
    estimates: byJob(
      await db.selectFrom('estimates').select(['id', 'job_id']).orderBy('id').execute(),
    ),
    invoices: byJob(
      await db.selectFrom('invoices').select(['id', 'job_id']).orderBy('id').execute(),
    ),
    appointments: byJob(
      await db.selectFrom('appointments').select(['id', 'job_id']).orderBy('id').execute(),
    ),
    forms: (
      await db.selectFrom('job_forms').select(['id', 'job_id', 'fields']).orderBy('id').execute()
    ).map((f) => ({ id: f.id, jobId: f.job_id, fields: JSON.parse(f.fields) as FormField[] })),
    labels: (await db.selectFrom('labels').select('id').orderBy('id').execute()).map((l) => l.id),
  }
}

/** Ids split by whose job they are on: Alex's (the pushing technician) and everyone else's. */
export interface Pools {
  jobs: { mine: string[]; others: string[] }
  estimates: { mine: string[]; others: string[] }
  invoices: { mine: string[]; others: string[] }
  appointments: { mine: string[]; others: string[] }
  forms: { mine: Catalog['forms']; others: Catalog['forms'] }
  labels: string[]
  technicians: string[]
  /** Dana: a user who is not a technician. */
  dispatcher: string
  /** The job of every seeded estimate, invoice, appointment and form. */
  jobOf: Map<string, string>
  /** Estimates and invoices of each job. */
  estimatesOf: Map<string, string[]>
  invoicesOf: Map<string, string[]>
  /** Every seeded id the arbitraries use (a create with one of them is an id reuse). */
  known: Set<string>
}

export function poolsOf(catalog: Catalog): Pools {
  const mineJob = new Set(
    catalog.jobs.filter((j) => j.technicianId === catalog.users.alex).map((j) => j.id),
  )
  const split = <T extends { jobId: string }>(rows: T[]) => ({
    mine: rows.filter((r) => mineJob.has(r.jobId)),
    others: rows.filter((r) => !mineJob.has(r.jobId)),
  })
  const ids = (s: { mine: Array<{ id: string }>; others: Array<{ id: string }> }) => ({
    mine: s.mine.map((r) => r.id),
    others: s.others.map((r) => r.id),
  })
  const group = (rows: Array<{ id: string; jobId: string }>) => {
    const map = new Map<string, string[]>()
    for (const r of rows) map.set(r.jobId, [...(map.get(r.jobId) ?? []), r.id])
    return map
  }
  const children = [
    ...catalog.estimates,
    ...catalog.invoices,
    ...catalog.appointments,
    ...catalog.forms,
  ]
  return {
    jobs: {
      mine: [...mineJob],
      others: catalog.jobs.filter((j) => !mineJob.has(j.id)).map((j) => j.id),
    },
    estimates: ids(split(catalog.estimates)),
    invoices: ids(split(catalog.invoices)),
    appointments: ids(split(catalog.appointments)),
    forms: split(catalog.forms),
    labels: catalog.labels,
    technicians: [catalog.users.alex, catalog.users.sam, catalog.users.jordan],
    dispatcher: catalog.users.dana,
    jobOf: new Map(children.map((c) => [c.id, c.jobId])),
    estimatesOf: group(catalog.estimates),
    invoicesOf: group(catalog.invoices),
    known: new Set([
      ...catalog.jobs.map((j) => j.id),
      ...children.map((c) => c.id),
      ...catalog.labels,
      ...Object.values(catalog.users),
    ]),
  }
}
