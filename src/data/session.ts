import { signal } from '@preact/signals'
import {
  addPendingRevocation,
  clearCurrentUser,
  currentRevocationToken,
  currentUser,
  setCurrentUser,
} from '../../offline/account'
import { dropStashedDrafts } from '../../offline/draftStash'
import { prefetchFirstPage } from '../../offline/firstPage'
import { requestJson } from '../../offline/http'
import { deleteLocalDb, type LocalDb, localDbFor } from '../../offline/localDb'
import { API_CACHE } from '../../offline/messages'
import { flushRevocations } from '../../offline/revoke'
import type { SignInResponse, User } from '../../protocol/auth'
import { onConnectionBack } from './connection'

/** The signed-in technician; undefined while the device is still looking, null when nobody. */
export const user = signal<User | null | undefined>(undefined)
/**
 * The server answered 401 to an upload or pull: the session ended while the technician was
 * out. The queue stays on the device; they sign in again and it uploads.
 */
export const sessionExpired = signal(false)

export function activeDb(): LocalDb | undefined {
  return user.value ? localDbFor(user.value.id) : undefined
}

/**
 * Who was signed in on this device, from the device itself: starting in airplane mode must
 * not need the server. A stale session shows up on the first upload or pull as a 401.
 */
export async function restoreSession(): Promise<void> {
  user.value = (await currentUser()) ?? null
}

export type SignInResult = { ok: true } | { ok: false; message: string }

export async function signIn(email: string, password: string): Promise<SignInResult> {
  const res = await requestJson<SignInResponse>('/api/auth/signin', {
    method: 'POST',
    body: { email, password },
    timeoutMs: 15_000,
  })
  if (res.kind === 'ok') {
    prefetchFirstPage(localDbFor(res.body.user.id))
    // Signing in again without signing out (the session expired, or a killed browser lost its
    // cookie): the previous session of this device is ended too, it has no use any more.
    const previous = await currentRevocationToken()
    if (previous && previous !== res.body.revocationToken) await addPendingRevocation(previous)
    await setCurrentUser(res.body.user, res.body.revocationToken)
    sessionExpired.value = false
    user.value = res.body.user
    void flushRevocations()
    return { ok: true }
  }
  if (res.kind === 'refused' || res.kind === 'unauthenticated') {
    return {
      ok: false,
      message: res.kind === 'refused' ? res.error.message : 'Email or password is wrong.',
    }
  }
  if (res.kind === 'server') return { ok: false, message: res.message }
  return { ok: false, message: 'Signing in needs a connection. Try again when you have signal.' }
}

/**
 * Signing out deletes this user's local database (jobs, customers, the queue) and cached API
 * answers, so the next person on a shared tablet finds nothing of theirs. The screen asks
 * first when actions have not uploaded.
 *
 * The server session is ended too, even when the server cannot be reached now: the session's
 * revocation token is kept as pending first (in the device database, which outlives the user's)
 * and sent when the device is next online (flushRevocations: right after this, at start, when
 * the connection returns, after the next sign-in). It is kept even when the sign-out request
 * answers, because that request ends the session of the cookie the browser still has, which may
 * not be this one (a killed browser can lose its cookie); the extra request costs nothing.
 */
export async function signOut(): Promise<void> {
  const current = user.value
  const token = await currentRevocationToken()
  if (token) await addPendingRevocation(token)
  await requestJson('/api/auth/signout', { method: 'POST', body: {}, timeoutMs: 5_000 })
  if (current) await deleteLocalDb(current.id)
  dropStashedDrafts()
  if ('caches' in globalThis) await caches.delete(API_CACHE)
  await clearCurrentUser()
  sessionExpired.value = false
  user.value = null
  void flushRevocations()
}

/**
 * Sends pending revocations (sessions signed out of while offline) now and whenever the
 * connection comes back. Until then the old session stays valid on the server: anyone holding
 * its cookie (the same browser, before another sign-in replaces it) could still use it.
 */
export function startRevocationTriggers(): void {
  void flushRevocations()
  onConnectionBack(() => void flushRevocations())
  addEventListener('online', () => void flushRevocations())
}

/** "Clear local data" in Offline Settings: the same clean-up as signing out. */
export const clearLocalData = signOut
