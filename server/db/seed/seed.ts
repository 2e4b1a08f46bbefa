import type { Kysely } from 'kysely'
import { hashPassword } from '../../auth/password'
import type { BlobStore } from '../../blobs/store'
import { nextRev } from '../../sync/revs'
import type {
  AppointmentsTable,
  CustomersTable,
  Database,
  JobsTable,
  NotesTable,
  UsersTable,
} from '../schema'
import { CITIES, COMPANIES, FIRST_NAMES, LAST_NAMES, NOTE_BODIES, STREETS, WORK } from './catalog'
import { DEMO_USERS } from './demoUsers'
import { makeDetails } from './details'
import { createRandom, type Random } from './random'

const SEED = 0xf1e1d
const CUSTOMER_COUNT = 40
const DAYS_BACK = 30
const DAYS_AHEAD = 7
const HOUR = 3_600_000

/** Local midnight of SEED_DATE (YYYY-MM-DD) or of today. */
export function seedDay(seedDate?: string): Date {
  const match = seedDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(seedDate) : null
  if (seedDate && !match) throw new Error(`SEED_DATE must look like 2026-11-28, not "${seedDate}"`)
  const base = match
    ? new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
    : new Date()
  return new Date(base.getFullYear(), base.getMonth(), base.getDate())
}

export interface SeedCounts {
  users: number
  customers: number
  jobs: number
  appointments: number
  notes: number
  labels: number
  forms: number
  attachments: number
  estimates: number
  invoices: number
  payments: number
  signatures: number
}

/**
 * Fills an empty database with the demo company; does nothing (returns null) when users exist.
 * Deterministic for a given day: same ids, names and schedule. Everything is written in one
 * transaction with multi-row inserts, stamped with the first revision. Attachments (generated
 * PNG photos and PDFs) are made only when a blob store is given for their bytes; see details.ts
 * for the job of Alex's today that gets one of everything.
 */
export async function seedIfEmpty(
  db: Kysely<Database>,
  seedDate?: string,
  blobs?: BlobStore,
): Promise<SeedCounts | null> {
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
  if (existing) return null

  const random = createRandom(SEED)
  const day = seedDay(seedDate)
  // Password hashing (scrypt, on the thread pool) overlaps with making the rest on this thread.
  const { ids: userIds, hashing } = makeUsers(random)
  const technicians = userIds.filter((u) => u.role === 'technician')
  const customers = makeCustomers(random)
  const { jobs, appointments, notes } = makeSchedule(random, day, technicians, customers)
  const alexId = userIds.find((u) => u.email === DEMO_USERS[0]?.email)?.id ?? ''
  // Its own PRNG, so adding details never changes the ids and schedule above.
  const details = makeDetails(
    createRandom(SEED + 1),
    day,
    jobs,
    appointments,
    customers,
    alexId,
    blobs !== undefined,
  )
  const users = await hashing
  // Bytes first: a failed transaction leaves unreferenced files, never rows without bytes.
  if (blobs) {
    const files = details.files
    for (let i = 0; i < files.length; i += 32) {
      await Promise.all(files.slice(i, i + 32).map((f) => blobs.put(f.id, f.bytes)))
    }
  }

  const done = await db.transaction().execute(async (trx) => {
    const rev = await nextRev(trx)
    // Several API instances may start at once on one PostgreSQL. nextRev's row lock makes their
    // seeds take turns; the ones that come second see the users and write nothing.
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return false
    const stamp = <T>(rows: T[]) => rows.map((row) => ({ ...row, rev }))
    await inChunks(users, (c) => trx.insertInto('users').values(c).execute())
    await inChunks(stamp(customers), (c) => trx.insertInto('customers').values(c).execute())
    await inChunks(stamp(jobs), (c) => trx.insertInto('jobs').values(c).execute())
    await inChunks(stamp(appointments), (c) => trx.insertInto('appointments').values(c).execute())
    await inChunks(stamp(notes), (c) => trx.insertInto('notes').values(c).execute())
    await inChunks(stamp(details.labels), (c) => trx.insertInto('labels').values(c).execute())
    await inChunks(stamp(details.forms), (c) => trx.insertInto('job_forms').values(c).execute())
    await inChunks(details.attachmentFiles, (c) =>
      trx.insertInto('attachment_files').values(c).execute(),
    )
    await inChunks(stamp(details.attachments), (c) =>
      trx.insertInto('attachments').values(c).execute(),
    )
    await inChunks(stamp(details.estimates), (c) => trx.insertInto('estimates').values(c).execute())
    await inChunks(stamp(details.invoices), (c) => trx.insertInto('invoices').values(c).execute())
    await inChunks(stamp(details.payments), (c) => trx.insertInto('payments').values(c).execute())
    await inChunks(stamp(details.signatures), (c) =>
      trx.insertInto('signatures').values(c).execute(),
    )
    return true
  })
  if (!done) return null
  return {
    users: users.length,
    customers: customers.length,
    jobs: jobs.length,
    appointments: appointments.length,
    notes: notes.length,
    labels: details.labels.length,
    forms: details.forms.length,
    attachments: details.attachments.length,
    estimates: details.estimates.length,
    invoices: details.invoices.length,
    payments: details.payments.length,
    signatures: details.signatures.length,
  }
}

/** Multi-row inserts, 200 rows at a time: well under SQLite's and PostgreSQL's bind limits. */
async function inChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) await insert(rows.slice(i, i + 200))
}

/** The users' ids at once (the schedule needs them); their password hashes as a promise. */
function makeUsers(random: Random): {
  ids: Array<Omit<UsersTable, 'password_hash'>>
  hashing: Promise<UsersTable[]>
} {
  const ids = DEMO_USERS.map((u) => ({
    id: random.uuid(),
    email: u.email,
    name: u.name,
    role: u.role,
  }))
  // Hashed in parallel (scrypt runs on the thread pool); salts are random, which is fine.
  const hashing = Promise.all(DEMO_USERS.map((u) => hashPassword(u.password))).then((hashes) =>
    ids.map((u, i) => ({ ...u, password_hash: hashes[i] as string })),
  )
  return { ids, hashing }
}

function makeCustomers(random: Random): Omit<CustomersTable, 'rev'>[] {
  return Array.from({ length: CUSTOMER_COUNT }, (_, i) => {
    const isCompany = i % 7 === 3
    const first = random.pick(FIRST_NAMES)
    const last = random.pick(LAST_NAMES)
    const name = isCompany ? (COMPANIES[i % COMPANIES.length] as string) : `${first} ${last}`
    const phones = Array.from({ length: random.int(1, 2) }, () => phone(random))
    const mailbox = isCompany ? 'office' : `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '')
    const domain = isCompany
      ? `${name.toLowerCase().replace(/[^a-z]/g, '')}.example`
      : 'example.com'
    return {
      id: random.uuid(),
      name,
      phones: JSON.stringify(phones),
      email: random.chance(0.85) ? `${mailbox}@${domain}` : null,
      address: `${random.int(12, 4890)} ${random.pick(STREETS)}, ${random.pick(CITIES)}`,
      version: 1,
    }
  })
}

function phone(random: Random): string {
  return `(555) ${random.int(200, 989)}-${String(random.int(0, 9999)).padStart(4, '0')}`
}

interface Schedule {
  jobs: Omit<JobsTable, 'rev'>[]
  appointments: Omit<AppointmentsTable, 'rev'>[]
  notes: Omit<NotesTable, 'rev'>[]
}

/**
 * Every technician gets 2–4 appointments on every day from 30 days back to 7 ahead (weekends
 * too, so "today" always has work), back to back with short drives between, from 08:00 and
 * ending by 17:00 local time. Now and then a visit is a follow-up on the technician's previous
 * job, so some jobs have two appointments.
 */
function makeSchedule(
  random: Random,
  day: Date,
  technicians: Array<Pick<UsersTable, 'id'>>,
  customers: Omit<CustomersTable, 'rev'>[],
): Schedule {
  const schedule: Schedule = { jobs: [], appointments: [], notes: [] }
  const lastJob = new Map<string, Omit<JobsTable, 'rev'>>()
  let number = 1001

  for (let offset = -DAYS_BACK; offset <= DAYS_AHEAD; offset++) {
    const date = new Date(day.getFullYear(), day.getMonth(), day.getDate() + offset)
    const past = offset < 0
    for (const tech of technicians) {
      const count = random.int(2, 4)
      let start = date.getTime() + 8 * HOUR + random.int(0, 2) * HOUR * 0.5
      for (let n = 0; n < count; n++) {
        const end = start + random.int(2, 4) * HOUR * 0.5
        if (end > date.getTime() + 17 * HOUR) break

        const previous = lastJob.get(tech.id)
        const followUp = previous && n === 0 && random.chance(0.15)
        let job = followUp ? previous : undefined
        if (!job) {
          const work = random.pick(WORK)
          const customer = random.pick(customers)
          job = {
            id: random.uuid(),
            number: number++,
            title: work.title,
            description: random.pick(work.descriptions),
            address: customer.address,
            status: past ? 'completed' : 'scheduled',
            customer_id: customer.id,
            technician_id: tech.id,
            label_ids: '[]',
            version: 1,
            updated_at: new Date(start - 3 * 24 * HOUR).toISOString(),
          }
          schedule.jobs.push(job)
          lastJob.set(tech.id, job)
        } else if (!past) {
          job.status = 'scheduled'
        }
        schedule.appointments.push({
          id: random.uuid(),
          job_id: job.id,
          starts_at: new Date(start).toISOString(),
          ends_at: new Date(end).toISOString(),
          status: past ? 'completed' : 'scheduled',
          version: 1,
          updated_at: null,
        })
        if (past && random.chance(0.3)) {
          schedule.notes.push({
            id: random.uuid(),
            job_id: job.id,
            author_id: tech.id,
            body: random.pick(NOTE_BODIES),
            created_at: new Date(end - random.int(5, 20) * 60_000).toISOString(),
          })
        }
        start = end + random.int(0, 2) * HOUR * 0.5
      }
    }
  }
  return schedule
}
