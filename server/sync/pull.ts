import { type ExpressionBuilder, type Kysely, sql } from 'kysely'
import type { User } from '../../protocol/auth'
import type { PullResponse, Removal } from '../../protocol/sync'
import { syncWindow } from '../../protocol/window'
import {
  appointmentColumns,
  attachmentColumns,
  customerColumns,
  estimateColumns,
  invoiceColumns,
  jobColumns,
  jobFormColumns,
  labelColumns,
  paymentColumns,
  signatureColumns,
  toAppointment,
  toAttachment,
  toCustomer,
  toEstimate,
  toInvoice,
  toJob,
  toJobForm,
  toLabel,
  toNote,
  toPayment,
  toSignature,
} from '../db/rows'
import type { Database } from '../db/schema'
import { type Cursor, encodeCursor } from './cursor'
import { currentRev } from './revs'
import { customersOfJobs, jobsWithAppointmentIn } from './scope'

/**
 * Builds a pull answer for one user.
 *
 * Scope: a technician gets their jobs with an appointment in syncWindow(now), plus those jobs'
 * appointments, notes, customers, forms, attachments (records with thumbnails; the bytes travel
 * on their own requests), estimates, invoices, payments and signatures, and every label (labels
 * are company-wide). A dispatcher gets the same for every technician (the office
 * can use the app too); dispatchers get no removals, since nothing leaves their scope by
 * reassignment.
 *
 * Without a cursor everything in scope is sent and `removed` is empty: the device replaces its
 * copy. With a cursor: rows in scope stamped after the cursor's revision, plus every row of the
 * jobs that entered the window since the cursor's window end (their rows can be old), plus the
 * technician's tombstones after the cursor's revision.
 *
 * Everything is read in one transaction, the counter included, so the returned cursor covers
 * exactly what was read (see revs.ts for why no later commit can carry a smaller revision).
 * `more` is always false: one page holds everything (~10k rows is a few MB of JSON).
 */
export async function pull(
  db: Kysely<Database>,
  user: User,
  cursor: Cursor | null,
  now: Date,
): Promise<PullResponse> {
  const window = syncWindow(now)
  const windowTo = Date.parse(window.to)
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const rev = await currentRev(trx)
      // A cursor from the future (the database was reset) cannot be trusted: send everything.
      const since = cursor && cursor.rev <= rev ? cursor : null
      const technicianId = user.role === 'technician' ? user.id : null
      const scope = jobsWithAppointmentIn(trx, technicianId, window.from, window.to)

      // Jobs whose appointments moved into the window because time passed.
      const enteredFrom = since ? new Date(Math.max(since.windowTo, Date.parse(window.from))) : null
      const entered =
        since && enteredFrom && since.windowTo < windowTo
          ? jobsWithAppointmentIn(trx, technicianId, enteredFrom.toISOString(), window.to)
          : null

      const jobs = await trx
        .selectFrom('jobs')
        .select(jobColumns)
        .where('jobs.id', 'in', scope)
        .$if(since !== null, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('jobs.rev', '>', since?.rev ?? 0),
              ...(entered ? [eb('jobs.id', 'in', entered)] : []),
            ]),
          ),
        )
        .orderBy('jobs.number')
        .execute()

      const appointments = await trx
        .selectFrom('appointments')
        .select(appointmentColumns)
        .where('appointments.job_id', 'in', scope)
        .$if(since !== null, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('appointments.rev', '>', since?.rev ?? 0),
              ...(entered ? [eb('appointments.job_id', 'in', entered)] : []),
            ]),
          ),
        )
        .orderBy('appointments.starts_at')
        .execute()

      const notes = await trx
        .selectFrom('notes')
        .innerJoin('users', 'users.id', 'notes.author_id')
        .select([
          'notes.id',
          'notes.job_id',
          'notes.author_id',
          'users.name as author_name',
          'notes.body',
          'notes.created_at',
        ])
        .where('notes.job_id', 'in', scope)
        .$if(since !== null, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('notes.rev', '>', since?.rev ?? 0),
              ...(entered ? [eb('notes.job_id', 'in', entered)] : []),
            ]),
          ),
        )
        .orderBy('notes.created_at')
        .execute()

      const customers = await trx
        .selectFrom('customers')
        .select(customerColumns)
        .where('customers.id', 'in', customersOfJobs(trx, scope))
        .$if(since !== null, (qb) =>
          qb.where((eb) =>
            eb.or([
              eb('customers.rev', '>', since?.rev ?? 0),
              ...(entered ? [eb('customers.id', 'in', customersOfJobs(trx, entered))] : []),
            ]),
          ),
        )
        .execute()

      // The job's other child tables: one query each, scoped and filtered the same way.
      const delta =
        (table: string) =>
        // biome-ignore lint/suspicious/noExplicitAny: shared by tables of the same shape
        (eb: ExpressionBuilder<any, any>) =>
          eb.or([
            eb(sql.ref(`${table}.rev`), '>', since?.rev ?? 0),
            ...(entered ? [eb(sql.ref(`${table}.job_id`), 'in', entered)] : []),
          ])
      const jobForms = await trx
        .selectFrom('job_forms')
        .select(jobFormColumns)
        .where('job_forms.job_id', 'in', scope)
        .$if(since !== null, (qb) => qb.where(delta('job_forms')))
        .execute()
      const attachments = await trx
        .selectFrom('attachments')
        .select(attachmentColumns)
        .where('attachments.job_id', 'in', scope)
        .$if(since !== null, (qb) => qb.where(delta('attachments')))
        .orderBy('attachments.taken_at')
        .execute()
      const estimates = await trx
        .selectFrom('estimates')
        .select(estimateColumns)
        .where('estimates.job_id', 'in', scope)
        .$if(since !== null, (qb) => qb.where(delta('estimates')))
        .orderBy('estimates.created_at')
        .execute()
      const invoices = await trx
        .selectFrom('invoices')
        .select(invoiceColumns)
        .where('invoices.job_id', 'in', scope)
        .$if(since !== null, (qb) => qb.where(delta('invoices')))
        .orderBy('invoices.created_at')
        .execute()
      const payments = await trx
        .selectFrom('payments')
        .select(paymentColumns)
        .where('payments.job_id', 'in', scope)
        .$if(since !== null, (qb) => qb.where(delta('payments')))
        .orderBy('payments.received_at')
        .execute()
      const signatures = await trx
        .selectFrom('signatures')
        .select(signatureColumns)
        .where('signatures.job_id', 'in', scope)
        .$if(since !== null, (qb) => qb.where(delta('signatures')))
        .orderBy('signatures.signed_at')
        .execute()
      // Labels are global: all of them on a full pull, those changed since on a delta.
      const labels = await trx
        .selectFrom('labels')
        .select(labelColumns)
        .$if(since !== null, (qb) => qb.where('labels.rev', '>', since?.rev ?? 0))
        .orderBy('labels.name')
        .execute()

      const changes: PullResponse['changes'] = {
        customers: customers.map(toCustomer),
        jobs: jobs.map(toJob),
        appointments: appointments.map(toAppointment),
        notes: notes.map(toNote),
        labels: labels.map(toLabel),
        jobForms: jobForms.map(toJobForm),
        attachments: attachments.map(toAttachment),
        estimates: estimates.map(toEstimate),
        invoices: invoices.map(toInvoice),
        payments: payments.map(toPayment),
        signatures: signatures.map(toSignature),
      }
      const removed =
        since && technicianId ? await removals(trx, technicianId, since.rev, changes) : []

      // The window end never goes backwards, even if the server clock does.
      const nextWindowTo = since ? Math.max(since.windowTo, windowTo) : windowTo
      return {
        cursor: encodeCursor({ rev, windowTo: nextWindowTo }),
        changes,
        removed,
        more: false,
        serverTime: now.toISOString(),
      }
    })
}

/**
 * The technician's tombstones after the cursor. A row that is also in `changes` came back (the
 * job was reassigned away and back again, re-stamped after the tombstone), so it is not removed.
 */
async function removals(
  db: Kysely<Database>,
  technicianId: string,
  sinceRev: number,
  changes: PullResponse['changes'],
): Promise<Removal[]> {
  const rows = await db
    .selectFrom('tombstones')
    .select(['table_name', 'entity_id', 'reason'])
    .where('technician_id', '=', technicianId)
    .where('rev', '>', sinceRev)
    .orderBy('rev')
    .execute()
  const present = new Set(Object.values(changes).flatMap((list) => list.map((row) => row.id)))
  const byId = new Map<string, Removal>()
  for (const row of rows) {
    if (present.has(row.entity_id)) continue
    byId.set(row.entity_id, { table: row.table_name, id: row.entity_id, reason: row.reason })
  }
  return [...byId.values()]
}
