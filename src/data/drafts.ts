import { effect } from '@preact/signals'
import { user } from './session'

/**
 * Text typed and not yet saved (a half-written note), kept while the app is open so that moving
 * to another screen and back does not throw it away: a technician called away mid-sentence came
 * back to an empty box. In memory only, by design: never written to the device's storage, and
 * dropped when the signed-in technician changes, so a shared tablet never shows one technician's
 * words to the next. Known limit: a reload loses it.
 */
const drafts = new Map<string, string>()
const keyOf = (kind: string, id: string) => `${user.peek()?.id ?? ''}\u0000${kind}\u0000${id}`

export function draftOf(kind: string, id: string): string {
  return drafts.get(keyOf(kind, id)) ?? ''
}

export function keepDraft(kind: string, id: string, text: string): void {
  if (text) drafts.set(keyOf(kind, id), text)
  else drafts.delete(keyOf(kind, id))
}

effect(() => {
  void user.value
  drafts.clear()
})
