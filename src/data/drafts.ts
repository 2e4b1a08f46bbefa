import { effect } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { dropStashedDrafts, stashDrafts, takeStashedDrafts } from '../../offline/draftStash'
import { type DraftChange, draftKey, readDrafts, writeDrafts } from '../../offline/drafts'
import type { LocalDb } from '../../offline/localDb'
import { activeDb, user } from './session'

/**
 * Text typed and not yet saved (a half-written note, an estimate's lines as edited), kept so that
 * neither moving to another screen nor a reload, a crashed tab or iOS killing the backgrounded
 * app throws it away. Held here for the editors (synchronous reads) and written to the
 * signed-in user's own database (offline/drafts.ts) ~300 ms after the last change, and at once
 * when the page is hidden or left (`visibilitychange` hidden, `pagehide`): the last moment a
 * killed app is sure to get. Left for a reload, what is unwritten is also put in the tab's
 * sessionStorage at once (an IndexedDB write begun then may be torn down with the page). A draft is never queued or uploaded. Per user: another technician
 * on the tablet reads their own database; signing out deletes the user's database, drafts too.
 *
 * This module loads with the editors (the job and document screens), not with the first screen.
 * Limits: words typed in the last 300 ms before the browser dies without a `pagehide` (a crash)
 * are lost; a draft is kept until saved or discarded, however old (the job's retention does not
 * clear it; it is a few hundred bytes).
 */

const WRITE_AFTER_MS = 300

/** This user's drafts as the editors last left them (key: draftKey). */
const memory = new Map<string, unknown>()
/** Kept or dropped since the device's copy began to be read: these win over what it holds. */
const touched = new Set<string>()
/** Changes not yet written, and the database they belong to (the user's when they were made). */
const pending = new Map<string, DraftChange>()
/**
 * Changes handed to a write that has not committed yet. A reload in those few milliseconds tore
 * the write down with the page, and the changes were no longer pending, so not stashed either
 * (a job form's answers lost after a reload, 1 run in 8 under load): they are stashed too.
 */
const writing = new Map<string, DraftChange>()
let pendingDb: LocalDb | undefined
let timer: ReturnType<typeof setTimeout> | undefined
let read: Promise<void> = Promise.resolve()
let readDone = true
let generation = 0

/** A text draft ('' when none). */
export function draftOf(kind: string, id: string): string {
  const kept = memory.get(draftKey(kind, id))
  return typeof kept === 'string' ? kept : ''
}

/** Keeps a text draft; '' drops it. */
export function keepDraft(kind: string, id: string, text: string): void {
  keepDraftValue(kind, id, text || undefined)
}

/** Any other draft (a form's state), or undefined. */
export function draftValue<T>(kind: string, id: string): T | undefined {
  return memory.get(draftKey(kind, id)) as T | undefined
}

/** Keeps a form's state; undefined drops it (saved or discarded). */
export function keepDraftValue(kind: string, id: string, value: unknown): void {
  const key = draftKey(kind, id)
  // An editor opening with nothing typed says "no draft" before the device's copy is read: that
  // must not delete the draft it is about to be given.
  if (value === undefined && !memory.has(key) && !touched.has(key)) return
  touched.add(key)
  if (value === undefined) memory.delete(key)
  else memory.set(key, value)
  const db = activeDb()
  if (db) schedule(db, key, { kind, id, value })
}

function schedule(db: LocalDb, key: string, change: DraftChange): void {
  if (pendingDb !== db) void flushDrafts()
  pendingDb = db
  pending.set(key, change)
  clearTimeout(timer)
  timer = setTimeout(() => void flushDrafts(), WRITE_AFTER_MS)
}

/** Writes the changes not yet written, now. */
export async function flushDrafts(): Promise<void> {
  clearTimeout(timer)
  const db = pendingDb
  const batch = new Map(pending)
  pending.clear()
  if (!db || batch.size === 0) return
  for (const [key, change] of batch) writing.set(key, change)
  // A signed-out user's database is closed and deleted: the write fails, as it should.
  await writeDrafts(db, [...batch.values()]).catch(() => undefined)
  for (const [key, change] of batch) if (writing.get(key) === change) writing.delete(key)
}

/**
 * Calls `restore` with the editor's draft once the device's copy has been read, if that was not
 * done when the editor opened (it then read what memory held: nothing yet). The editor decides
 * whether to take it (not over something typed meanwhile).
 */
export function useDraftArrival<T>(kind: string, id: string, restore: (value: T) => void): void {
  // Whether the device's copy was still being read when the editor drew (and so read memory
  // without its draft). Taken during the render, not in the effect: the read can end in between,
  // and the effect then found it done and restored nothing (a draft lost after a reload on a
  // loaded machine, two times in six in tests/e2e/drafts.spec.ts).
  const readingWhenDrawn = useMemo(() => !readDone, [kind, id])
  useEffect(() => {
    if (!readingWhenDrawn) return
    let open = true
    void read.then(() => {
      const value = draftValue<T>(kind, id)
      if (open && value !== undefined) restore(value)
    })
    return () => {
      open = false
    }
  }, [kind, id])
}

// A new technician: their drafts only. What the last one left unwritten goes to their database
// (closed and deleted if they signed out: then nothing is written; stashDrafts names the user,
// so a stash is only ever taken by whoever left it).
effect(() => {
  const u = user.value
  void flushDrafts()
  generation++
  memory.clear()
  // Another technician's writes under way are theirs: never stashed under this one's name.
  writing.clear()
  touched.clear()
  if (!u) {
    read = Promise.resolve()
    readDone = true
    return
  }
  const db = activeDb()
  if (!db) return
  const mine = generation
  readDone = false
  // What the page before this one had not yet written when it went (a reload): newer than the
  // device's copy, and written to it now.
  const stashed = takeStashedDrafts(u.id)
  read = readDrafts(db)
    .then((rows) => {
      if (mine !== generation) return
      for (const row of rows) if (!touched.has(row.key)) memory.set(row.key, row.value)
      for (const change of stashed) {
        const key = draftKey(change.kind, change.id)
        if (touched.has(key)) continue
        if (change.value === undefined) memory.delete(key)
        else memory.set(key, change.value)
        schedule(db, key, change)
      }
    })
    .catch(() => undefined)
    .finally(() => {
      if (mine === generation) readDone = true
    })
})

// The app may never come back from being hidden (iOS kills it in the background): write now.
// Leaving (a reload, a navigation): also kept in the tab's sessionStorage, written at once, for
// the write Chromium may tear down with the page (offline/drafts.ts, stashDrafts).
addEventListener('pagehide', () => {
  // Pending changes win over the same draft's write under way (they are newer).
  stashDrafts(pendingDb?.userId ?? '', [...new Map([...writing, ...pending]).values()])
  void flushDrafts()
})
// Back from the back-forward cache: this page's memory is newer than its stash.
addEventListener('pageshow', (e) => {
  if (e.persisted) dropStashedDrafts()
})
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') void flushDrafts()
})
