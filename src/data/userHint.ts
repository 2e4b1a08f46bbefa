import type { User } from '../../protocol/auth'

const KEY = 'fieldline.user'

/**
 * Who was signed in, kept synchronously beside the device database so that an offline start can
 * open the technician's own database at once instead of waiting for the first IndexedDB round
 * trip of the page (~70 ms on a phone: the device database's open and one read) just to learn
 * whose day to show. It is only a hint: the device database (offline/account.ts) stays the truth
 * and is read right after; a hint that disagrees with it is replaced. It holds no secret (the
 * same user record the device database holds; the session is an HttpOnly cookie), and signing
 * out removes it before anything else. The service worker cannot read localStorage, and does
 * not need to.
 */
export function readUserHint(): User | undefined {
  try {
    const raw = localStorage.getItem(KEY)
    if (!raw) return undefined
    const parsed = JSON.parse(raw) as Partial<User> | null
    return parsed &&
      typeof parsed.id === 'string' &&
      typeof parsed.name === 'string' &&
      typeof parsed.email === 'string' &&
      (parsed.role === 'technician' || parsed.role === 'dispatcher')
      ? (parsed as User)
      : undefined
  } catch {
    // Storage blocked (some private modes) or a damaged value: start the slow way.
    return undefined
  }
}

export function writeUserHint(user: User | null): void {
  try {
    if (user) localStorage.setItem(KEY, JSON.stringify(user))
    else localStorage.removeItem(KEY)
  } catch {
    // A full or blocked localStorage only costs the fast start.
  }
}
