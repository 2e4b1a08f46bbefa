import type { DraftChange } from './drafts'

/**
 * The changes not yet written when the page goes, kept synchronously in the tab's sessionStorage.
 * An IndexedDB write begun in `pagehide` does not always commit before Chromium tears the page
 * down (a reload within the 300 ms after the last keystroke lost the draft about one time in
 * four in tests/e2e/drafts.spec.ts); sessionStorage is written at once and is there when the
 * same tab loads again, which takes it (takeStashedDrafts) and writes it to IndexedDB. It only
 * bridges that moment: one entry, named for its user, removed when read, on sign-out and when a
 * page comes back from the back-forward cache (its drafts are in memory, newer than the stash).
 */
const STASH = 'fieldline-unwritten-drafts'

/** The tab's sessionStorage: the page's only (this folder is compiled for the worker too). */
interface TabStorage {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}
const tab = () => (globalThis as { sessionStorage?: TabStorage }).sessionStorage

export function stashDrafts(userId: string, changes: DraftChange[]): void {
  try {
    if (changes.length === 0) tab()?.removeItem(STASH)
    else tab()?.setItem(STASH, JSON.stringify({ userId, changes }))
  } catch {
    // Storage full or refused (private mode): the IndexedDB write is still under way.
  }
}

/** The stash left by this tab's last page, if it was this user's; removed either way. */
export function takeStashedDrafts(userId: string): DraftChange[] {
  try {
    const raw = tab()?.getItem(STASH)
    tab()?.removeItem(STASH)
    const stash = raw ? (JSON.parse(raw) as { userId?: unknown; changes?: unknown }) : undefined
    if (stash?.userId !== userId || !Array.isArray(stash.changes)) return []
    return (stash.changes as DraftChange[]).filter(
      (c) => typeof c?.kind === 'string' && typeof c.id === 'string',
    )
  } catch {
    return []
  }
}

export function dropStashedDrafts(): void {
  try {
    tab()?.removeItem(STASH)
  } catch {
    // Nothing to drop where there is no storage.
  }
}
