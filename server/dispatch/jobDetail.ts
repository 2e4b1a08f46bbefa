import type { FastifyInstance } from 'fastify'
import { isId } from '../../protocol/fields'
import { invoiceBalanceCents } from '../../protocol/money'
import { requireRole } from '../auth/guard'
import type { AppContext } from '../context'
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
import { jobNotes } from './jobNotes'
import { notFound } from './notFound'

/** The office's view of a whole job with its children, invoices with their balance. */
export function registerDispatchJobDetailRoute(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely

  app.get<{ Params: { id: string } }>('/api/dispatch/jobs/:id', async (request) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    if (!isId(id)) throw notFound('job')
    const job = await db
      .selectFrom('jobs')
      .select(jobColumns)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!job) throw notFound('job')
    const labelIds = JSON.parse(job.label_ids) as string[]
    const [
      customer,
      appointments,
      notes,
      form,
      attachments,
      estimates,
      invoices,
      payments,
      signatures,
      labels,
    ] = await Promise.all([
      db
        .selectFrom('customers')
        .select(customerColumns)
        .where('id', '=', job.customer_id)
        .executeTakeFirst(),
      db
        .selectFrom('appointments')
        .select(appointmentColumns)
        .where('job_id', '=', id)
        .orderBy('starts_at')
        .orderBy('id')
        .execute(),
      jobNotes(db, id),
      db.selectFrom('job_forms').select(jobFormColumns).where('job_id', '=', id).executeTakeFirst(),
      db
        .selectFrom('attachments')
        .select(attachmentColumns)
        .where('job_id', '=', id)
        .orderBy('taken_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('estimates')
        .select(estimateColumns)
        .where('job_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('invoices')
        .select(invoiceColumns)
        .where('job_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('payments')
        .select(paymentColumns)
        .where('job_id', '=', id)
        .orderBy('received_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('signatures')
        .select(signatureColumns)
        .where('job_id', '=', id)
        .orderBy('signed_at')
        .orderBy('id')
        .execute(),
      labelIds.length > 0
        ? db
            .selectFrom('labels')
            .select(labelColumns)
            .where('id', 'in', labelIds)
            .execute()
            // In the job's own order of its labels, the same on every store.
            .then((rows) => rows.sort((a, b) => labelIds.indexOf(a.id) - labelIds.indexOf(b.id)))
        : Promise.resolve([]),
    ])
    const paymentList = payments.map(toPayment)
    return {
      job: toJob(job),
      customer: customer ? toCustomer(customer) : null,
      appointments: appointments.map(toAppointment),
      notes: notes.map(toNote),
      form: form ? toJobForm(form) : null,
      attachments: attachments.map(toAttachment),
      estimates: estimates.map(toEstimate),
      invoices: invoices.map(toInvoice).map((invoice) => ({
        ...invoice,
        balanceCents: invoiceBalanceCents(
          invoice,
          paymentList.filter((p) => p.invoiceId === invoice.id),
        ),
      })),
      payments: paymentList,
      signatures: signatures.map(toSignature),
      labels: labels.map(toLabel),
    }
  })
}
