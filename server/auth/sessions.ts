import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { User } from '../../protocol/auth'
import type { Database } from '../db/schema'

export const SESSION_COOKIE = 'fl_session'

/** Only the token's hash is stored: a copy of the database cannot be used to sign in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface NewSession {
  /** For the HttpOnly cookie (32 random bytes, base64url). */
  token: string
  /**
   * For the device to keep: it can end this session and nothing else (POST /api/auth/revoke),
   * so a device that signed out offline revokes the session when it is next online, although
   * the page cannot read the cookie and a later sign-in replaces it. 32 random bytes, stored
   * hashed like the token.
   */
  revocationToken: string
}

/** Starts a session: the cookie token and the revocation token. */
export async function createSession(
  db: Kysely<Database>,
  userId: string,
  ttlSeconds: number,
  now: Date,
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url')
  const revocationToken = randomBytes(32).toString('base64url')
  await db
    .insertInto('sessions')
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      revocation_hash: hashToken(revocationToken),
    })
    .execute()
  return { token, revocationToken }
}

/** The signed-in user for a cookie token, or null when unknown or expired. */
export async function findSessionUser(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<User | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.email', 'users.name', 'users.role'])
    .where('sessions.id', '=', hashToken(token))
    .where('sessions.expires_at', '>', now.toISOString())
    .executeTakeFirst()
  return row ?? null
}

/**
 * Which of these sessions (ids = token hashes) are still valid: one query for any number of
 * open event streams, in chunks well under both stores' limit on bound parameters.
 */
export async function liveSessionIds(
  db: Kysely<Database>,
  ids: readonly string[],
  now: Date,
): Promise<Set<string>> {
  const live = new Set<string>()
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('sessions')
      .select('id')
      .where('id', 'in', ids.slice(i, i + 500))
      .where('expires_at', '>', now.toISOString())
      .execute()
    for (const r of rows) live.add(r.id)
  }
  return live
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', hashToken(token)).execute()
}

/**
 * Ends the session a revocation token belongs to and returns the ids (token hashes) it deleted:
 * none for an unknown or already-ended one.
 */
export async function revokeSession(
  db: Kysely<Database>,
  revocationToken: string,
): Promise<string[]> {
  const rows = await db
    .deleteFrom('sessions')
    .where('revocation_hash', '=', hashToken(revocationToken))
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Removes expired sessions; cheap enough to run at start-up and now and then. */
export async function purgeExpiredSessions(db: Kysely<Database>, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).execute()
}
