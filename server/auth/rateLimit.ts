import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { HttpError } from '../http/errors'

/** How long a failed sign-in counts against its email and its address. */
export const SIGNIN_WINDOW_MS = 15 * 60 * 1000
/** Failures per email in the window before that email is locked out until the window moves. */
export const MAX_FAILURES_PER_EMAIL = 10
/**
 * Failures per client address. Higher than per email: a whole office or a carrier's NAT can
 * share one address, and one technician's typos must not lock out the others.
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
const ipKey = (ip: string) => `ip:${ip}`

/**
 * The sign-in rate limit: failures are counted per email and per client address in the
 * `signin_failures` table (shared by every server instance on the same database). Only wrong
 * credentials count; a malformed body is refused before it gets here.
 */
export class SigninLimiter {
  constructor(private readonly db: Kysely<Database>) {}

  /** Throws 429 (with the seconds until the oldest counted failure leaves the window) if locked. */
  async check(email: string, ip: string, now: Date): Promise<void> {
    const since = new Date(now.getTime() - SIGNIN_WINDOW_MS).toISOString()
    for (const [key, max] of [
      [emailKey(email), MAX_FAILURES_PER_EMAIL],
      [ipKey(ip), MAX_FAILURES_PER_IP],
    ] as const) {
      const rows = await this.db
        .selectFrom('signin_failures')
        .select('at')
        .where('key', '=', key)
        .where('at', '>', since)
        .orderBy('at', 'desc')
        .limit(max)
        .execute()
      if (rows.length >= max) {
        // The max-th newest failure is the one whose expiry unlocks the key.
        const oldest = rows[rows.length - 1]?.at ?? now.toISOString()
        const unlock = Date.parse(oldest) + SIGNIN_WINDOW_MS
        throw new TooManyAttempts(Math.max(1, Math.ceil((unlock - now.getTime()) / 1000)))
      }
    }
  }

  /** Records a failure against both keys and drops their rows that have left the window. */
  async fail(email: string, ip: string, now: Date): Promise<void> {
    const since = new Date(now.getTime() - SIGNIN_WINDOW_MS).toISOString()
    const keys = [emailKey(email), ipKey(ip)]
    await this.db
      .deleteFrom('signin_failures')
      .where('key', 'in', keys)
      .where('at', '<=', since)
      .execute()
    await this.db
      .insertInto('signin_failures')
      .values(keys.map((key) => ({ id: randomUUID(), key, at: now.toISOString() })))
      .execute()
  }

  /** A successful sign-in clears its email's failures (not the address's). */
  async succeed(email: string): Promise<void> {
    await this.db.deleteFrom('signin_failures').where('key', '=', emailKey(email)).execute()
  }
}

/** Removes every failure older than the window; run at start-up with the session purge. */
export async function purgeOldSigninFailures(db: Kysely<Database>, now: Date): Promise<void> {
  const since = new Date(now.getTime() - SIGNIN_WINDOW_MS).toISOString()
  await db.deleteFrom('signin_failures').where('at', '<=', since).execute()
}
