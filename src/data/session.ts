import { signal } from '@preact/signals'
import { clearCurrentUser, currentUser, setCurrentUser } from '../../offline/account'
import { requestJson } from '../../offline/http'
import { deleteLocalDb, type LocalDb, localDbFor } from '../../offline/localDb'
import { API_CACHE } from '../../offline/messages'
import type { User } from '../../protocol/auth'

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
  const res = await requestJson<{ user: User }>('/api/auth/signin', {
    method: 'POST',
    body: { email, password },
    timeoutMs: 15_000,
  })
  if (res.kind === 'ok') {
    await setCurrentUser(res.body.user)
    sessionExpired.value = false
    user.value = res.body.user
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
 */
export async function signOut(): Promise<void> {
  const current = user.value
  await requestJson('/api/auth/signout', { method: 'POST', body: {}, timeoutMs: 5_000 })
  if (current) await deleteLocalDb(current.id)
  if ('caches' in globalThis) await caches.delete(API_CACHE)
  await clearCurrentUser()
  sessionExpired.value = false
  user.value = null
}
