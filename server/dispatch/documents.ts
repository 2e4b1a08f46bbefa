import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import type { EstimateStatus, InvoiceStatus, LineItem } from '../../protocol/entities'
import { isId } from '../../protocol/fields'
import { requireRole } from '../auth/guard'
import type { AppContext } from '../context'
import { estimateColumns, invoiceColumns, toEstimate, toInvoice } from '../db/rows'
import type { Database } from '../db/schema'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { technicianOf } from '../live/scope'
import { invoiceEditRuling } from '../rules/invoices'
import { nextRev } from '../sync/revs'
import { notFound } from './notFound'
import { checkVersion, expectedVersion, setEntityTag } from './precondition'
import { PatchEstimate, PatchInvoice } from './schemas'

/** The columns an edit of an estimate or an invoice reads (both tables have them). */
interface DocumentRow {
  id: string
  number: string
  status: EstimateStatus | InvoiceStatus
  line_items: string
  tax_rate_bps: number
  version: number
  job_id: string
}

/** What an edit writes; a field left out keeps its value. */
interface DocumentChange {
  lineItems?: LineItem[]
  status?: EstimateStatus | InvoiceStatus
  taxRateBps?: number
}

/**
 * The office edits an estimate or an invoice: version + 1 and a new rev, so technicians' devices
 * get it on their next pull and their own edits meet it field by field. The schemas are the
 * technician's (protocol/mutations.ts), and an invoice passes the same rule as invoice.update
 * (server/rules/invoices.ts); a refusal writes nothing.
 */
export function registerDispatchDocumentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely

  /**
   * Reads the row, asks `decide` what to write (it throws to refuse), writes it, and returns what
   * `answer` reads back in the same transaction: the version written, whose ETag the office sends
   * as If-Match next. Read after the commit, another save landing in between made the answer and
   * ETag describe that save's version, and the office's next save overwrote an edit it never saw.
   */
  async function patchDocument<T>(
    table: 'estimates' | 'invoices',
    id: string,
    expected: number | undefined,
    decide: (trx: Transaction<Database>, current: DocumentRow) => Promise<DocumentChange>,
    answer: (trx: Transaction<Database>) => Promise<T>,
  ): Promise<T> {
    const what = table === 'estimates' ? 'estimate' : 'invoice'
    if (!isId(id)) throw notFound(what)
    const { users, row } = await db.transaction().execute(async (trx) => {
      const rev = await nextRev(trx)
      const current = (await trx
        .selectFrom(table)
        .select(['id', 'number', 'status', 'line_items', 'tax_rate_bps', 'version', 'job_id'])
        .where('id', '=', id)
        .executeTakeFirst()) as DocumentRow | undefined
      if (!current) throw notFound(what)
      // Before any rule: a stale save is refused as stale, whatever else it would be refused for.
      checkVersion(what, current.version, expected)
      const change = await decide(trx, current)
      await trx
        .updateTable(table)
        .set({
          ...(change.lineItems !== undefined && { line_items: JSON.stringify(change.lineItems) }),
          // Each route decides a status of its own table; the two tables' unions differ.
          ...(change.status !== undefined && {
            status: change.status as EstimateStatus & InvoiceStatus,
          }),
          ...(change.taxRateBps !== undefined && { tax_rate_bps: change.taxRateBps }),
          version: current.version + 1,
          rev,
          updated_at: ctx.now().toISOString(),
        })
        .where('id', '=', id)
        .execute()
      return { users: await technicianOf(trx, current.job_id), row: await answer(trx) }
    })
    ctx.changes.publish({ users })
    return row
  }

  app.patch<{ Params: { id: string } }>('/api/dispatch/estimates/:id', async (request, reply) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    const { baseVersion, ...patch } = parseInput(PatchEstimate, request.body)
    const expected = expectedVersion(request, baseVersion)
    // estimate.update has no rule beyond its schema, which this route's body shares.
    const row = await patchDocument(
      'estimates',
      id,
      expected,
      async () => patch,
      (trx) =>
        trx
          .selectFrom('estimates')
          .select(estimateColumns)
          .where('id', '=', id)
          .executeTakeFirstOrThrow(),
    )
    setEntityTag(reply, row.version)
    return { estimate: toEstimate(row) }
  })

  app.patch<{ Params: { id: string } }>('/api/dispatch/invoices/:id', async (request, reply) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    const { baseVersion, ...patch } = parseInput(PatchInvoice, request.body)
    const expected = expectedVersion(request, baseVersion)
    const decide = async (trx: Transaction<Database>, current: DocumentRow) => {
      const next = {
        lineItems: patch.lineItems ?? (JSON.parse(current.line_items) as LineItem[]),
        taxRateBps: patch.taxRateBps ?? current.tax_rate_bps,
        status: patch.status,
      }
      const ruling = await invoiceEditRuling(
        trx,
        { ...current, status: current.status as InvoiceStatus },
        next,
      )
      // The body is well formed; it is the invoice as it stands (its payments) that refuses it.
      if (!ruling.ok) throw new HttpError(409, 'conflict', ruling.reason)
      return { ...next, status: ruling.status }
    }
    const row = await patchDocument('invoices', id, expected, decide, (trx) =>
      trx
        .selectFrom('invoices')
        .select(invoiceColumns)
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    )
    setEntityTag(reply, row.version)
    return { invoice: toInvoice(row) }
  })
}
