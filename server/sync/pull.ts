import type { Kysely } from 'kysely'
import type { User } from '../../protocol/auth'
import type { PullResponse } from '../../protocol/sync'
import { syncWindow } from '../../protocol/window'
import type { Database } from '../db/schema'
import { type Cursor, encodeCursor, encodeStream, isStream, type Stream } from './cursor'
import { buildPage, firstPosition, type PageLimits, pageLimits } from './pullPage'
import { countTechnicianPull } from './pullTotal'
import { currentRev } from './revs'

/**
 * Builds one page of a pull for one user.
 *
 * Scope: a technician gets their jobs with an appointment in syncWindow(now), plus those jobs'
 * appointments, notes, customers, forms, attachments (records with thumbnails; the bytes travel
 * on their own requests), estimates, invoices, payments and signatures, and every label (labels
 * are company-wide). A dispatcher gets the same for every technician (the office can use the app
 * too); dispatchers get no removals, since nothing leaves their scope by reassignment.
 *
 * Without a cursor everything in scope is sent and `removed` is empty. With a finished cursor:
 * rows in scope stamped after the cursor's revision, plus every row of the jobs that entered the
 * window since the cursor's window end (their rows can be old), plus the technician's tombstones
 * after the cursor's revision.
 *
 * Paged (pullPage.ts): an answer holds at most `limits.rows` rows; `more: true` comes with a
 * cursor for the next page. The pull's revision is read on its first page, so the cursor of its
 * last page covers everything committed before the pull began (see revs.ts for why no later
 * commit can carry a smaller revision); what was written during it comes in the next delta.
 * Each page is read in one transaction.
 */
export async function pull(
  db: Kysely<Database>,
  user: User,
  cursor: Cursor | Stream | null,
  now: Date,
  limits: PageLimits = pageLimits(),
): Promise<PullResponse> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const rev = await currentRev(trx)
      const windowTo = Date.parse(syncWindow(now).to)
      const resumed = isStream(cursor) && resumable(cursor, rev, windowTo) ? cursor : null
      const stream =
        resumed ?? startStream(user, isStream(cursor) ? cursor.since : cursor, rev, now)
      const page = await buildPage(trx, user, stream, limits)

      let total = stream.total
      if (!resumed) {
        // First page: when it is the whole pull its size is the total; else count, if cheap.
        total =
          page.next === null
            ? page.rows
            : user.role === 'technician'
              ? await countTechnicianPull(trx, user.id, stream)
              : null
      }
      const next: Stream | null = page.next ? { ...stream, total, at: page.next } : null
      // The window end never goes backwards, even if the server clock does.
      const finished = {
        rev: stream.rev,
        windowTo: Math.max(stream.since?.windowTo ?? 0, stream.windowTo),
      }
      return {
        cursor: next ? encodeStream(next) : encodeCursor(finished),
        changes: page.changes,
        removed: page.removed,
        more: next !== null,
        total,
        serverTime: now.toISOString(),
      }
    })
}

/**
 * A pull begins. A cursor from the future (the database was reset) cannot be trusted: the
 * device gets everything.
 */
function startStream(user: User, since: Cursor | null, rev: number, now: Date): Stream {
  const valid = since && since.rev <= rev ? since : null
  return {
    since: valid,
    rev,
    windowTo: Date.parse(syncWindow(now).to),
    total: null,
    at: firstPosition(user, valid),
  }
}

/**
 * Can this page cursor be followed? Not when it is from the future (a reset database: revisions
 * went back), or claims a window more than a day beyond today's (a made-up cursor), or is inconsistent; the pull
 * then begins again from the cursor's own starting point. An old one is fine: the rows it
 * still has to send are sent as they are now, and the next delta covers what changed since.
 */
function resumable(stream: Stream, rev: number, windowTo: number): boolean {
  // A day of slack: instances' clocks differ a little, and a page must not restart the pull.
  if (stream.rev > rev || stream.windowTo > windowTo + 86_400_000) return false
  // Every revision the cursor holds is at most the current one, which the database made: a
  // made-up one past it reached PostgreSQL's 32-bit revision columns as a 500 (out of range).
  const at = stream.at
  if (at.phase === 'removals' && at.after && at.after[0] > stream.rev) return false
  return stream.since === null || stream.since.rev <= stream.rev
}
