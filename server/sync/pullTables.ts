import type { Kysely } from 'kysely'
import type { EntityTable } from '../../protocol/entities'
import {
  appointmentColumns,
  attachmentColumns,
  customerColumns,
  estimateColumns,
  invoiceColumns,
  jobColumns,
  jobFormColumns,
  paymentColumns,
  signatureColumns,
  toAppointment,
  toAttachment,
  toCustomer,
  toEstimate,
  toInvoice,
  toJob,
  toJobForm,
  toNote,
  toPayment,
  toSignature,
} from '../db/rows'

/**
 * The tables a group of jobs brings, in the order a page sends them: a row always comes after
 * what it refers to (customer → job → its children; estimate → invoice → payment), so a device
 * that stops after any page holds no row pointing at one it lacks.
 */
export interface GroupTable {
  name: EntityTable
  table: string
  /** What the group's ids are matched on: the job id of each row (its own id for jobs). */
  match: string
  /** Sort and keyset columns; the last row's values are the page's resume key. */
  key: readonly string[]
  columns: readonly string[]
  // biome-ignore lint/suspicious/noExplicitAny: rows of the table's own shape
  map: (row: any) => unknown
  /** Rows may carry data: URLs of up to hundreds of KB; read fewer at a time. */
  heavy?: boolean
  /** Matched on the customers of the group's jobs instead of the jobs. */
  byCustomer?: boolean
}

const child = (
  name: EntityTable,
  table: string,
  columns: readonly string[],
  map: GroupTable['map'],
  heavy = false,
): GroupTable => ({
  name,
  table,
  match: `${table}.job_id`,
  key: [`${table}.job_id`, `${table}.id`],
  columns,
  map,
  heavy,
})

const noteColumns = [
  'notes.id',
  'notes.job_id',
  'notes.author_id',
  'users.name as author_name',
  'notes.body',
  'notes.created_at',
] as const

export const GROUP_TABLES: readonly GroupTable[] = [
  {
    name: 'customers',
    table: 'customers',
    match: 'customers.id',
    key: ['customers.id'],
    columns: customerColumns,
    map: toCustomer,
    byCustomer: true,
  },
  {
    name: 'jobs',
    table: 'jobs',
    match: 'jobs.id',
    key: ['jobs.id'],
    columns: jobColumns,
    map: toJob,
  },
  child('appointments', 'appointments', appointmentColumns, toAppointment),
  child('notes', 'notes', noteColumns, toNote),
  child('jobForms', 'job_forms', jobFormColumns, toJobForm),
  child('attachments', 'attachments', attachmentColumns, toAttachment, true),
  child('estimates', 'estimates', estimateColumns, toEstimate),
  child('invoices', 'invoices', invoiceColumns, toInvoice),
  child('payments', 'payments', paymentColumns, toPayment),
  child('signatures', 'signatures', signatureColumns, toSignature, true),
]

export interface GroupRead {
  /** The ids matched on (job ids, or customer ids for customers). */
  ids: string[]
  /** Those sent whole whatever their revision (jobs that entered the window). */
  whole: string[]
  /** Send only rows changed after this revision (null: every row). */
  sinceRev: number | null
  /** Resume after this key (the table's key columns), or from the start. */
  after: string[] | null
  limit: number
}

/**
 * Rows of one table for a group, in key order. The match is an explicit list of at most a
 * group's worth of ids, so every store reads them through the (job_id, …) or primary-key index,
 * whatever the size of the company (tests/server/plans.test.ts checks the plans on PostgreSQL).
 */
export async function readGroupTable(
  // biome-ignore lint/suspicious/noExplicitAny: table names come from GROUP_TABLES
  db: Kysely<any>,
  spec: GroupTable,
  read: GroupRead,
  // biome-ignore lint/suspicious/noExplicitAny: rows of the table's own shape
): Promise<any[]> {
  let query = db
    .selectFrom(spec.table)
    .select(spec.columns as string[])
    .where(spec.match, 'in', read.ids)
  if (spec.table === 'notes') query = query.innerJoin('users', 'users.id', 'notes.author_id')
  const { sinceRev, whole, after } = read
  if (sinceRev !== null) {
    query = query.where((eb) =>
      eb.or([
        eb(`${spec.table}.rev`, '>', sinceRev),
        ...(whole.length > 0 ? [eb(spec.match, 'in', whole)] : []),
      ]),
    )
  }
  if (after) {
    const [first, second] = spec.key
    query = query.where((eb) =>
      second
        ? eb(eb.refTuple(first as string, second), '>', eb.tuple(after[0], after[1]))
        : eb(first as string, '>', after[0]),
    )
  }
  for (const column of spec.key) query = query.orderBy(column)
  return query.limit(read.limit).execute()
}

/** The resume key of a row read by readGroupTable. */
export function keyOf(spec: GroupTable, row: { id: string; job_id?: string }): string[] {
  return spec.key.length === 2 ? [row.job_id as string, row.id] : [row.id]
}
