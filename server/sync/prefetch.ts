import type { Transaction } from 'kysely'
import type { MutationArgs, MutationName, parseMutationArgs } from '../../protocol/mutations'
import type { ReceivedPush } from '../../protocol/sync'
import { type BulkTable, insertStatements, runStatements, type Statement } from '../db/bulk'
import { rowsByIds } from '../db/byIds'
import type { Dialect } from '../db/connect'
import type { Database, NotesTable } from '../db/schema'
import type { BatchState } from '../mutations/types'

/**
 * Loads, with one query each, the jobs and the note ids the mutations still to apply refer to,
 * into the batch's maps. Only an optimisation: an id missing here is looked up when needed.
 */
export async function prefetch(
  trx: Transaction<Database>,
  dialect: Dialect,
  batch: BatchState,
  mutations: ReceivedPush['mutations'],
  parsed: ReturnType<typeof parseMutationArgs>[],
): Promise<void> {
  const jobIds = new Set<string>()
  const noteIds = new Set<string>()
  for (const [i, m] of mutations.entries()) {
    const p = parsed[i]
    if (!p?.ok) continue
    const args = p.args as MutationArgs<MutationName>
    if ('jobId' in args && typeof args.jobId === 'string') jobIds.add(args.jobId)
    if (m.name === 'note.add') noteIds.add((args as MutationArgs<'note.add'>).id)
  }
  if (jobIds.size > 0) {
    const ids = [...jobIds]
    for (const id of ids) batch.jobs.set(id, null)
    for (const job of await trx
      .selectFrom('jobs')
      .select(['id', 'number', 'technician_id', 'customer_id'])
      .where('id', 'in', ids)
      .execute()) {
      batch.jobs.set(job.id, job)
    }
  }
  if (noteIds.size > 0) {
    const ids = [...noteIds]
    for (const id of ids) batch.notes.set(id, null)
    for (const note of await rowsByIds<
      Pick<NotesTable, 'id' | 'job_id' | 'author_id' | 'body' | 'created_at'>
    >(trx, dialect, {
      table: 'notes',
      key: 'id',
      ids,
      columns: ['id', 'job_id', 'author_id', 'body', 'created_at'],
    })) {
      batch.notes.set(note.id, {
        jobId: note.job_id,
        authorId: note.author_id,
        body: note.body,
        createdAt: note.created_at,
      })
    }
  }
}

const NOTES = {
  table: 'notes',
  columns: [
    ['id', 'text'],
    ['job_id', 'text'],
    ['author_id', 'text'],
    ['body', 'text'],
    ['created_at', 'text'],
    ['rev', 'bigint'],
  ],
} as const satisfies BulkTable<NotesTable>

/** Inserts the notes held back by note.add (one statement for a batch's worth: db/bulk.ts). */
export async function flushNotes(
  trx: Transaction<Database>,
  dialect: Dialect,
  batch: BatchState,
): Promise<void> {
  await runStatements(trx, dialect, notesToFlush(dialect, batch))
}

/** The statements that insert the notes held back, taking them from the batch. */
export function notesToFlush(dialect: Dialect, batch: BatchState): Statement[] {
  return insertStatements(dialect, NOTES, batch.pendingNotes.splice(0))
}
