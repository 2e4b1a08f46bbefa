import type { FastifyInstance } from 'fastify'
import type { EstimateStatus, FormField, InvoiceStatus } from '../../protocol/entities'
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
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { technicianOf } from '../live/scope'
import { nextRev } from '../sync/revs'
import { PatchEstimate, PatchForm, PatchInvoice } from './schemas'

const notFound = (what: string) => new HttpError(404, 'not_found', `No ${what} with this id.`)

/**
 * The office's view and edits of what technicians edit too: a whole job with its children, and
 * PATCH on estimates, invoices and form answers. Each edit bumps the row's version and rev, so
 * a technician's later edit of the same field meets it as a Conflict, and of another as a merge.
 */
export function registerDispatchDocumentRoutes(app: FastifyInstance, ctx: AppContext): void {
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
        .execute(),
      db
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
        .where('notes.job_id', '=', id)
        .orderBy('notes.created_at')
        .orderBy('notes.rev')
        .execute(),
      db.selectFrom('job_forms').select(jobFormColumns).where('job_id', '=', id).executeTakeFirst(),
      db
        .selectFrom('attachments')
        .select(attachmentColumns)
        .where('job_id', '=', id)
        .orderBy('taken_at')
        .execute(),
      db
        .selectFrom('estimates')
        .select(estimateColumns)
        .where('job_id', '=', id)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('invoices')
        .select(invoiceColumns)
        .where('job_id', '=', id)
        .orderBy('created_at')
        .execute(),
      db
        .selectFrom('payments')
        .select(paymentColumns)
        .where('job_id', '=', id)
        .orderBy('received_at')
        .execute(),
      db
        .selectFrom('signatures')
        .select(signatureColumns)
        .where('job_id', '=', id)
        .orderBy('signed_at')
        .execute(),
      labelIds.length > 0
        ? db.selectFrom('labels').select(labelColumns).where('id', 'in', labelIds).execute()
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

  /**
   * The office edits an estimate or an invoice (the same columns): version + 1, a new rev, so
   * technicians' devices get it on their next pull and their own edits meet it field by field.
   */
  async function patchDocument(
    table: 'estimates' | 'invoices',
    id: string,
    // Each route's schema has checked `status` for its own table; the two tables' status unions
    // differ, so the shared helper takes their common type and the routes cast to it.
    patch: { lineItems?: unknown; status?: EstimateStatus & InvoiceStatus; taxRateBps?: number },
  ): Promise<void> {
    const what = table === 'estimates' ? 'estimate' : 'invoice'
    if (!isId(id)) throw notFound(what)
    const users = await db.transaction().execute(async (trx) => {
      const rev = await nextRev(trx)
      const current = await trx
        .selectFrom(table)
        .select(['version', 'job_id'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (!current) throw notFound(what)
      await trx
        .updateTable(table)
        .set({
          ...(patch.lineItems !== undefined && { line_items: JSON.stringify(patch.lineItems) }),
          ...(patch.status !== undefined && { status: patch.status }),
          ...(patch.taxRateBps !== undefined && { tax_rate_bps: patch.taxRateBps }),
          version: current.version + 1,
          rev,
          updated_at: ctx.now().toISOString(),
        })
        .where('id', '=', id)
        .execute()
      return technicianOf(trx, current.job_id)
    })
    ctx.changes.publish({ users })
  }

  app.patch<{ Params: { id: string } }>('/api/dispatch/estimates/:id', async (request) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    const patch = parseInput(PatchEstimate, request.body)
    await patchDocument('estimates', id, patch as Parameters<typeof patchDocument>[2])
    const row = await db
      .selectFrom('estimates')
      .select(estimateColumns)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return { estimate: toEstimate(row) }
  })

  app.patch<{ Params: { id: string } }>('/api/dispatch/invoices/:id', async (request) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    const patch = parseInput(PatchInvoice, request.body)
    await patchDocument('invoices', id, patch as Parameters<typeof patchDocument>[2])
    const row = await db
      .selectFrom('invoices')
      .select(invoiceColumns)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    return { invoice: toInvoice(row) }
  })

  app.patch<{ Params: { id: string } }>('/api/dispatch/forms/:id', async (request) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    if (!isId(id)) throw notFound('form')
    const patch = parseInput(PatchForm, request.body)
    let users: string[] = []
    const row = await db.transaction().execute(async (trx) => {
      const rev = await nextRev(trx)
      const current = await trx
        .selectFrom('job_forms')
        .select(['fields', 'answers', 'version', 'job_id'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (!current) throw notFound('form')
      const fields = new Set((JSON.parse(current.fields) as FormField[]).map((f) => f.id))
      const unknown = Object.keys(patch.answers).find((key) => !fields.has(key))
      if (unknown)
        throw new HttpError(
          400,
          'invalid_request',
          `answers.${unknown} is not a field of this form`,
        )
      const answers = { ...(JSON.parse(current.answers) as object), ...patch.answers }
      await trx
        .updateTable('job_forms')
        .set({
          answers: JSON.stringify(answers),
          version: current.version + 1,
          rev,
          updated_at: ctx.now().toISOString(),
        })
        .where('id', '=', id)
        .execute()
      users = await technicianOf(trx, current.job_id)
      return trx
        .selectFrom('job_forms')
        .select(jobFormColumns)
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    })
    ctx.changes.publish({ users })
    return { form: toJobForm(row) }
  })
}
