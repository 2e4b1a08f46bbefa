import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { User } from '../../protocol/auth'

/**
 * The synchronous "who was signed in" hint (src/data/userHint.ts) that lets an offline start
 * open the technician's day without first reading the device database. The device database
 * stays the truth: these check that a hint never outlives or overrules it.
 */

const ALEX: User = { id: 'u-alex', email: 'alex@fieldline.test', name: 'Alex', role: 'technician' }
const SAM: User = { id: 'u-sam', email: 'sam@fieldline.test', name: 'Sam', role: 'technician' }

let store: Map<string, string>
beforeEach(() => {
  store = new Map()
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  })
  vi.stubGlobal('fetch', async () => new Response('{}', { status: 200 }))
  // The session module's imports read these at load, as in a page.
  vi.stubGlobal('navigator', { onLine: true })
})
afterEach(() => vi.unstubAllGlobals())

/** A fresh page: the modules load again, so the signal starts from whatever the hint holds. */
async function startPage() {
  vi.resetModules()
  const account = await import('../../offline/account')
  const session = await import('../../src/data/session')
  return { account, session }
}

describe('the signed-in user hint', () => {
  it('is kept once the device database is read, and known at once on the next start', async () => {
    let { account, session } = await startPage()
    await account.setCurrentUser(ALEX)
    await session.restoreSession()
    expect(session.user.value).toEqual(ALEX)
    ;({ account, session } = await startPage())
    // Known at once, before any await: the first render already opens Alex's day.
    expect(session.user.value).toEqual(ALEX)
    const first = session.user.value
    await session.restoreSession()
    expect(session.user.value).toBe(first)
  })

  it('gives way to the device database when they disagree', async () => {
    let { account, session } = await startPage()
    await account.setCurrentUser(SAM)
    store.set('fieldline.user', JSON.stringify(ALEX))
    ;({ account, session } = await startPage())
    expect(session.user.value).toEqual(ALEX)
    await session.restoreSession()
    expect(session.user.value).toEqual(SAM)
    expect(JSON.parse(store.get('fieldline.user') ?? 'null')).toEqual(SAM)

    await account.clearCurrentUser()
    ;({ account, session } = await startPage())
    await session.restoreSession()
    expect(session.user.value).toBeNull()
    expect(store.has('fieldline.user')).toBe(false)
  })

  it('is ignored when damaged or of the wrong shape', async () => {
    for (const raw of ['{', '"text"', 'null', JSON.stringify({ ...ALEX, role: 'admin' })]) {
      store.set('fieldline.user', raw)
      const { session } = await startPage()
      expect(session.user.value).toBeUndefined()
    }
  })

  it('is gone as soon as signing out starts', async () => {
    const { account, session } = await startPage()
    await account.setCurrentUser(ALEX)
    await session.restoreSession()
    expect(store.has('fieldline.user')).toBe(true)
    const out = session.signOut()
    expect(store.has('fieldline.user')).toBe(false)
    await out
    expect(session.user.value).toBeNull()
    expect(await account.currentUser()).toBeUndefined()
  })
})
