import type { Transaction } from 'kysely'
import type { MutationArgs, MutationName, parseMutationArgs } from '../../protocol/mutations'
import type { PushRequest } from '../../protocol/sync'
import type { Database } from '../db/schema'
import type { BatchState } from '../mutations/types'

/** Rows per multi-row INSERT: far below SQLite's (32,766) and PostgreSQL's (65,535) bind limits. */
export const CHUNK = 500

/**
 * Loads, with one query each, the jobs and the note ids the mutations still to apply refer to,
 * into the batch's maps. Only an optimisation: an id missing here is looked up when needed.
 */
export async function prefetch(
  trx: Transaction<Database>,
  batch: BatchState,
  mutations: PushRequest['mutations'],
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
    for (const note of await trx
      .selectFrom('notes')
      .select(['id', 'job_id'])
      .where('id', 'in', ids)
      .execute()) {
      batch.notes.set(note.id, note.job_id)
    }
  }
}

/** Inserts the notes held back by note.add, in multi-row statements. */
export async function flushNotes(trx: Transaction<Database>, batch: BatchState): Promise<void> {
  const rows = batch.pendingNotes.splice(0)
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('notes')
      .values(rows.slice(i, i + CHUNK))
      .execute()
  }
}
