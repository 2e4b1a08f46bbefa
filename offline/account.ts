import Dexie, { type EntityTable } from 'dexie'
import type { User } from '../protocol/auth'

interface AccountRow {
  key: 'current'
  user: User
  signedInAt: string
}

/**
 * Who is signed in on this device. Kept in its own tiny database so that the service worker,
 * woken by a Background Sync with no page open, knows whose queue to upload. No password or
 * token is stored here: the session lives in an HttpOnly cookie the page cannot read.
 */
class AccountDb extends Dexie {
  account!: EntityTable<AccountRow, 'key'>
  constructor() {
    super('fieldline-device')
    this.version(1).stores({ account: 'key' })
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

export async function setCurrentUser(user: User): Promise<void> {
  await accountDb().account.put({ key: 'current', user, signedInAt: new Date().toISOString() })
}

export async function clearCurrentUser(): Promise<void> {
  await accountDb().account.delete('current')
}
