import { effect } from '@preact/signals'
import { user } from './session'

/**
 * Text typed and not yet saved (a half-written note), kept while the app is open so that moving
 * to another screen and back does not throw it away: a technician called away mid-sentence came
 * back to an empty box. In memory only, by design: never written to the device's storage, and
 * dropped when the signed-in technician changes, so a shared tablet never shows one technician's
 * words to the next. Known limit: a reload loses it.
 */
const drafts = new Map<string, unknown>()
const keyOf = (kind: string, id: string) => `${user.peek()?.id ?? ''}\u0000${kind}\u0000${id}`

/** A text draft ('' when none). */
export function draftOf(kind: string, id: string): string {
  const kept = drafts.get(keyOf(kind, id))
  return typeof kept === 'string' ? kept : ''
}

/** Keeps a text draft; '' drops it. */
export function keepDraft(kind: string, id: string, text: string): void {
  keepDraftValue(kind, id, text || undefined)
}

/** Any other draft (a form's state), or undefined. */
export function draftValue<T>(kind: string, id: string): T | undefined {
  return drafts.get(keyOf(kind, id)) as T | undefined
}

/** Keeps a form's state; undefined drops it. */
export function keepDraftValue(kind: string, id: string, value: unknown): void {
  if (value === undefined) drafts.delete(keyOf(kind, id))
  else drafts.set(keyOf(kind, id), value)
}

effect(() => {
  void user.value
  drafts.clear()
})
