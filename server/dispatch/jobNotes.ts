import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

/**
 * A job's notes with their authors' names, oldest first. Rev, then id, break ties between notes
 * made in the same millisecond, so the order is the same on every store and every call. One
 * query for the office's notes list and its job detail (the detail's copy had lost the id tie).
 */
export function jobNotes(db: Kysely<Database>, jobId: string) {
  return db
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
    .where('notes.job_id', '=', jobId)
    .orderBy('notes.created_at')
    .orderBy('notes.rev')
    .orderBy('notes.id')
    .execute()
}
