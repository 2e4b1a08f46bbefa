import Dexie, { type EntityTable } from 'dexie'
import type { User } from '../protocol/auth'

interface AccountRow {
  key: 'current'
  user: User
  signedInAt: string
  /**
   * The sign-in's revocation token (see server/auth/sessions.ts): it can end this one session
   * and nothing else, so the device can keep it where the page can read it. Missing for a
   * sign-in made before there were such tokens.
   */
  revocationToken?: string
}

/** A session to end on the server once the device is online (signed out while it was not). */
interface PendingRevocation {
  token: string
  since: string
}

/**
 * Who is signed in on this device, and the sessions still to end. Kept in its own tiny database
 * so that the service worker, woken by a Background Sync with no page open, knows whose queue to
 * upload, and so that signing out (which deletes the user's database) keeps what it must still
 * tell the server. No password or session token is stored here: the session lives in an HttpOnly
 * cookie the page cannot read.
 */
class AccountDb extends Dexie {
  account!: EntityTable<AccountRow, 'key'>
  revocations!: EntityTable<PendingRevocation, 'token'>
  constructor() {
    super('fieldline-device')
    this.version(1).stores({ account: 'key' })
    this.version(2).stores({ account: 'key', revocations: 'token' })
  }
}

let db: AccountDb | undefined
const accountDb = () => {
  db ??= new AccountDb()
  return db
}

export async function currentUser(): Promise<User | undefined> {
  return (await accountDb().account.get('current'))?.user
}

export async function currentRevocationToken(): Promise<string | undefined> {
  return (await accountDb().account.get('current'))?.revocationToken
}

export async function setCurrentUser(user: User, revocationToken?: string): Promise<void> {
  await accountDb().account.put({
    key: 'current',
    user,
    signedInAt: new Date().toISOString(),
    revocationToken,
  })
}

export async function clearCurrentUser(): Promise<void> {
  await accountDb().account.delete('current')
}

/** Remembers a session to end on the server (kept until the server has answered). */
export async function addPendingRevocation(token: string): Promise<void> {
  await accountDb().revocations.put({ token, since: new Date().toISOString() })
}

export async function pendingRevocations(): Promise<string[]> {
  return (await accountDb().revocations.toArray()).map((r) => r.token)
}

export async function removePendingRevocation(token: string): Promise<void> {
  await accountDb().revocations.delete(token)
}
