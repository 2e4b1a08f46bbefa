import { signal } from '@preact/signals'

export interface Toast {
  id: number
  /** The message as given; `text` is what shows (counted). */
  key: string
  text: string
  tone: 'info' | 'offline' | 'error'
  /** How many times this message was given while it was up ("3 actions saved…"). */
  count: number
}

/**
 * The one short message at the bottom of the screen. One at a time: a stack of three covered a
 * third of a phone's screen (the notes, the queue) — a new message replaces the old one, and the
 * same message again counts up instead of stacking.
 */
export const toast = signal<Toast | null>(null)
let next = 1
let timer: ReturnType<typeof setTimeout> | undefined

/** The brief's words for a change saved while offline. */
export const SAVED_OFFLINE = "Saved on this device; it will upload when you're back online."
// The brief's sentence stays word for word (technicians and their checklists know it); the
// count says how many it now stands for.
const savedOffline = (n: number) =>
  n === 1 ? SAVED_OFFLINE : `${SAVED_OFFLINE} ${n} actions saved offline.`

/**
 * `answer`: the answer to what the technician just did (their change is saved). It replaces an
 * error: "Saved on this device…" was dropped for up to 8 s after any error, so a technician who
 * saved right after a refused photo was told nothing.
 */
export function showToast(
  text: string,
  tone: Toast['tone'] = 'info',
  ms = 4_000,
  answer = false,
): void {
  const current = toast.value
  // An error stays up until it has been read (its own time), whatever news comes after it.
  if (current?.tone === 'error' && tone !== 'error' && !answer) return
  const same = current && current.tone === tone && current.key === text
  const count = same ? current.count + 1 : 1
  const shown = text === SAVED_OFFLINE ? savedOffline(count) : text
  toast.value = { id: same ? current.id : next++, key: text, text: shown, tone, count }
  clearTimeout(timer)
  timer = setTimeout(() => dismissToast(), ms)
}

export function dismissToast(): void {
  clearTimeout(timer)
  toast.value = null
}

/** The connection is back: "it will upload when you're back online" is no longer news. */
export function dismissOfflineToasts(): void {
  if (toast.value?.tone === 'offline') dismissToast()
}

/**
 * Words for screen readers only, in a polite live region that is always on the page (Toasts.tsx).
 * For what sighted people see happen without a message: a note saved online shows up in its list;
 * someone who cannot see the list heard nothing. `n` changes on every call so the same words twice
 * are announced twice.
 */
export const announcement = signal<{ n: number; text: string }>({ n: 0, text: '' })
export function announce(text: string): void {
  announcement.value = { n: announcement.value.n + 1, text }
}

/** What a save online says: saved on the device, and on its way. */
export const SAVED_ONLINE = 'Saved. Uploading now.'
