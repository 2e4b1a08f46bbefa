import { v7 as uuidv7 } from 'uuid'
import { currentUser } from '../../../../offline/account'
import { localDbFor } from '../../../../offline/localDb'
import { perform } from '../../../../offline/perform'
import { drain } from '../../../../offline/syncEngine'
import { ENTITY_TABLES } from '../../../../protocol/entities'

/**
 * Loaded into the running app page by the fault tests (see pageHelper.ts). It calls the app's
 * own data layer — perform() is what the "Save note" button runs, drain() what every sync
 * trigger runs, under the same Web Lock — so hundreds of actions take seconds, not minutes of
 * typing, while the app's own triggers (page and service worker) keep running alongside.
 */
async function db() {
  const user = await currentUser()
  if (!user) throw new Error('nobody is signed in')
  return { user, db: localDbFor(user.id) }
}

/** Queues notes `${prefix}-${from}` … on one job, in order, through perform(). */
async function queueNotes(jobId: string, prefix: string, from: number, count: number) {
  const { user, db: local } = await db()
  for (let i = from; i < from + count; i++) {
    const result = await perform(local, user, 'note.add', {
      id: uuidv7(),
      jobId,
      body: `${prefix}-${String(i).padStart(5, '0')}`,
      createdAt: new Date().toISOString(),
    })
    if (!result.ok) throw new Error(result.reason)
  }
}

/** One drain, as the page's triggers run it, with a short time limit for hung requests. */
async function drainOnce(timeoutMs: number) {
  const { db: local } = await db()
  return drain(local, { timeoutMs })
}

/** The outbox by status. */
async function outbox() {
  const { db: local } = await db()
  const counts: Record<string, number> = {}
  for (const e of await local.outbox.toArray()) counts[e.status] = (counts[e.status] ?? 0) + 1
  return counts
}

/** The device's pull cursor and how many rows of each kind it holds (paged pre-load tests). */
async function localCopy() {
  const { db: local } = await db()
  const counts: Record<string, number> = {}
  for (const table of ENTITY_TABLES) counts[table] = await local.table(table).count()
  return { cursor: (await local.getMeta<string>('cursor')) ?? null, counts }
}

declare global {
  interface Window {
    fieldlineFaults?: {
      queueNotes: typeof queueNotes
      drainOnce: typeof drainOnce
      outbox: typeof outbox
      localCopy: typeof localCopy
    }
  }
}

window.fieldlineFaults = { queueNotes, drainOnce, outbox, localCopy }
