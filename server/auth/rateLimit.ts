import { randomUUID } from 'node:crypto'
import { type Kysely, sql, type Transaction } from 'kysely'
import type { Dialect } from '../db/connect'
import type { Database } from '../db/schema'
import { HttpError } from '../http/errors'
import { addressKey } from './addressKey'

/** How long a failed sign-in counts against its email and its address. */
export const SIGNIN_WINDOW_MS = 15 * 60 * 1000
/** Failures per email in the window before that email is locked out until the window moves. */
export const MAX_FAILURES_PER_EMAIL = 10
/**
 * Failures per client address (an IPv6 client's /64). Higher than per email: a whole office or
 * a carrier's NAT can share one address, and one technician's typos must not lock out the others.
 */
export const MAX_FAILURES_PER_IP = 30

export class TooManyAttempts extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
    super(
      429,
      'too_many_attempts',
      `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      { 'Retry-After': String(retryAfterSeconds) },
    )
  }
}

const emailKey = (email: string) => `email:${email.toLowerCase()}`
// An IPv6 client counts as its /64 (it can rotate through all of it): addressKey.ts.
const ipKey = (ip: string) => `ip:${addressKey(ip)}`

/** The rows one attempt reserved: one per key, deleted again unless the attempt fails. */
export interface Reservation {
  emailRow: string
  ipRow: string
}

/** Namespace of the limiter's advisory locks (the two-key form keeps them apart from others). */
const LOCK_CLASS = 1_302_013

/**
 * The sign-in rate limit, counted per email and per client address in the `signin_failures`
 * table (shared by every server instance on the same database).
 *
 * Every attempt first **reserves** a row per key, as if it had already failed, before any
 * password is hashed: the count and the insert run in one short transaction that holds a lock
 * per key, so attempts on the same email or address take turns there, whether they arrive at
 * one instance or at several on one PostgreSQL (transaction-scoped advisory locks; SQLite runs
 * one transaction at a time anyway). The k-th attempt of a burst sees the k-1 reservations
 * before it, so exactly MAX of them reach the password check and the rest are refused 429.
 * (Counting first and inserting only after the hash, as this used to, let a burst of 25 all
 * pass the count before any had failed. Inserting first and then counting without a lock, the
 * other way to make a burst see itself, over-refuses on PostgreSQL: 25 simultaneous inserts
 * all see each other and all 25 got 429, which would also turn away an office's morning rush
 * of correct passwords behind one NAT.)
 *
 * A refused attempt reserves nothing, so hammering a locked email does not keep it locked
 * longer. A wrong password leaves its reservation as the failure; a right one deletes it and
 * clears the email's count.
 */
export class SigninLimiter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Reserves a failure slot for the email and the address, or throws 429 (with the seconds until
   * the oldest counted failure leaves the window) when either is already at its limit. Call it
   * before hashing anything; only well-formed requests get here.
   */
  async reserve(email: string, ip: string, now: Date): Promise<Reservation> {
    const since = new Date(now.getTime() - SIGNIN_WINDOW_MS).toISOString()
    const keys = [emailKey(email), ipKey(ip)]
    const reservation: Reservation = { emailRow: randomUUID(), ipRow: randomUUID() }
    await this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') {
        // Always in the same order (by hash), so two attempts never wait for each other's second.
        await sql`select pg_advisory_xact_lock(${LOCK_CLASS}, hashtext(k))
          from unnest(${keys}::text[]) as k order by hashtext(k)`.execute(trx)
      }
      // Rows that left the window are dead weight for these keys; drop them as we go.
      await trx
        .deleteFrom('signin_failures')
        .where('key', 'in', keys)
        .where('at', '<=', since)
        .execute()
      await refuseIfOver(trx, keys[0] as string, MAX_FAILURES_PER_EMAIL, since, now)
      await refuseIfOver(trx, keys[1] as string, MAX_FAILURES_PER_IP, since, now)
      const at = now.toISOString()
      await trx
        .insertInto('signin_failures')
        .values([
          { id: reservation.emailRow, key: keys[0] as string, at },
          { id: reservation.ipRow, key: keys[1] as string, at },
        ])
        .execute()
    })
    return reservation
  }

  /** A successful sign-in clears its email's failures, and gives back its address slot. */
  async succeed(email: string, reservation: Reservation): Promise<void> {
    await this.db.deleteFrom('signin_failures').where('key', '=', emailKey(email)).execute()
    await this.db.deleteFrom('signin_failures').where('id', '=', reservation.ipRow).execute()
  }
}

/**
 * Throws 429 when `max` rows of the key are in the window. The max-th newest is the one whose
 * expiry unlocks the key.
 */
async function refuseIfOver(
  trx: Transaction<Database>,
  key: string,
  max: number,
  since: string,
  now: Date,
): Promise<void> {
  const rows = await trx
    .selectFrom('signin_failures')
    .select('at')
    .where('key', '=', key)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(max)
    .execute()
  if (rows.length < max) return
  const oldest = rows[rows.length - 1]?.at ?? now.toISOString()
  const unlock = Date.parse(oldest) + SIGNIN_WINDOW_MS
  throw new TooManyAttempts(Math.max(1, Math.ceil((unlock - now.getTime()) / 1000)))
}

/** Removes every failure older than the window; run at start-up with the session purge. */
export async function purgeOldSigninFailures(db: Kysely<Database>, now: Date): Promise<void> {
  const since = new Date(now.getTime() - SIGNIN_WINDOW_MS).toISOString()
  await db.deleteFrom('signin_failures').where('at', '<=', since).execute()
}
