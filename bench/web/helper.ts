import { v7 as uuidv7 } from 'uuid'
import { currentUser } from '../../offline/account'
import { localDbFor } from '../../offline/localDb'
import { deviceIdentity } from '../../offline/meta'
import { nextBatch, resetInterrupted, setStatus, takeBatch } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { applyPull } from '../../offline/pull'
import { ENTITY_TABLES } from '../../protocol/entities'
import type { PullResponse } from '../../protocol/sync'

/**
 * Loaded by the bench into the running app page (same origin, served by the bench proxy under
 * /bench-baseline/). It calls the app's own data layer — `perform()` from offline/, the exact
 * code the "Save note" button runs — so 500 offline notes take seconds instead of minutes of
 * typing, and it holds the "floor" measurements: the same IndexedDB writes with no app code.
 */

interface SyncRegistration {
  sync?: { register(tag: string): Promise<void> }
}

/** Queues `count` notes on one job through perform(), as the Save note button does. */
async function queueNotes(prefix: string, count: number, jobId?: string) {
  const user = await currentUser()
  if (!user) throw new Error('nobody is signed in')
  const db = localDbFor(user.id)
  const job = jobId ?? (await db.jobs.orderBy('number').first())?.id
  if (!job) throw new Error('no job on this device')
  const started = performance.now()
  for (let i = 0; i < count; i++) {
    const result = await perform(db, user, 'note.add', {
      id: uuidv7(),
      jobId: job,
      body: `${prefix}-${i}`,
      createdAt: new Date().toISOString(),
    })
    if (!result.ok) throw new Error(result.reason)
  }
  const ms = performance.now() - started
  // commands.ts asks for a Background Sync after every action; once is the same registration.
  const reg = (await navigator.serviceWorker.getRegistration('/')) as
    | (ServiceWorkerRegistration & SyncRegistration)
    | undefined
  await reg?.sync?.register('fieldline-outbox')
  return { userId: user.id, jobId: job, queued: count, ms }
}

/**
 * Times the device-side steps drain() takes before its first push, on the queue as it is (the
 * entries end Queued again, as they were). Profiling evidence for the replay figure.
 */
async function drainSteps() {
  const user = await currentUser()
  if (!user) throw new Error('nobody is signed in')
  const db = localDbFor(user.id)
  const t: Record<string, number> = {}
  let last = performance.now()
  const lap = (name: string) => {
    const now = performance.now()
    t[name] = Math.round((now - last) * 10) / 10
    last = now
  }
  await resetInterrupted(db)
  lap('resetInterrupted')
  await deviceIdentity(db)
  lap('deviceIdentity')
  await db.outbox.where('status').equals('queued').count()
  lap('count')
  const batch = await nextBatch(db, 200, 1_000_000)
  lap('nextBatch')
  // What drain() does: the batch again, recorded as in flight (no rows rewritten).
  await takeBatch(db, 200, 1_000_000)
  lap('takeBatch')
  // Settling as "no answer" would mark them sent; the rows go back exactly as they were.
  await setStatus(db, batch, 'queued')
  lap('setStatusQueued')
  return { batch: batch.length, ...t }
}

/** A value from the app's meta table (e.g. 'lastPullAt', 'deviceId'). */
async function getMeta(key: string): Promise<unknown> {
  const user = await currentUser()
  return user ? localDbFor(user.id).getMeta(key) : undefined
}

/** Entries still in the app's outbox (all statuses). */
async function outboxCount(): Promise<number> {
  const user = await currentUser()
  return user ? localDbFor(user.id).outbox.count() : -1
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
    tx.onabort = () => reject(tx.error)
  })
}

/** A scratch database with the given stores: [name, keyPath, autoIncrement, indexes]. */
async function scratchDb(
  name: string,
  stores: Array<[string, string, boolean, string[]]>,
): Promise<IDBDatabase> {
  await request(indexedDB.deleteDatabase(name))
  const open = indexedDB.open(name, 1)
  open.onupgradeneeded = () => {
    for (const [store, keyPath, autoIncrement, indexes] of stores) {
      const s = open.result.createObjectStore(store, { keyPath, autoIncrement })
      for (const index of indexes) s.createIndex(index, index)
    }
  }
  return request(open)
}

/**
 * The same stores and indexes as offline/localDb.ts declares for every entity table (version 2):
 * the floor puts every kind the pull brings, not just the first four.
 */
const ENTITY_STORES: Array<[string, string, boolean, string[]]> = [
  ['customers', 'id', false, []],
  ['jobs', 'id', false, ['number']],
  ['appointments', 'id', false, ['startsAt', 'jobId']],
  ['notes', 'id', false, ['jobId']],
  ['labels', 'id', false, []],
  ['jobForms', 'id', false, ['jobId']],
  ['attachments', 'id', false, ['jobId']],
  ['estimates', 'id', false, ['jobId']],
  ['invoices', 'id', false, ['jobId']],
  ['payments', 'id', false, ['invoiceId', 'jobId']],
  ['signatures', 'id', false, ['jobId']],
]

/**
 * Pre-load floor: fetch the same first pull the app made (not timed; every page of it, the pull
 * is paged), then put every row in one readwrite transaction of a fresh database with the same
 * indexes, timed until it commits.
 */
async function floorPreload() {
  const fetchStarted = performance.now()
  const texts: string[] = []
  let cursor: string | null = null
  for (;;) {
    const url: string = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' })
    const text = await res.text()
    texts.push(text)
    const body = JSON.parse(text) as { cursor: string; more: boolean }
    cursor = body.cursor
    if (!body.more) break
  }
  const fetchMs = performance.now() - fetchStarted
  const parseStarted = performance.now()
  const page: { changes: Record<string, Array<Record<string, unknown>>> } = { changes: {} }
  for (const text of texts) {
    const body = JSON.parse(text) as { changes: Record<string, Array<Record<string, unknown>>> }
    for (const [table, rows] of Object.entries(body.changes)) {
      page.changes[table] = [...(page.changes[table] ?? []), ...rows]
    }
  }
  const parseMs = performance.now() - parseStarted
  const text = texts.join('')
  const db = await scratchDb('bench-floor-preload', ENTITY_STORES)
  const started = performance.now()
  const tx = db.transaction(
    ENTITY_STORES.map((s) => s[0]),
    'readwrite',
  )
  let rows = 0
  for (const [store] of ENTITY_STORES) {
    const os = tx.objectStore(store)
    for (const row of page.changes[store] ?? []) {
      os.put(row)
      rows++
    }
  }
  await done(tx)
  const ms = performance.now() - started
  db.close()
  await request(indexedDB.deleteDatabase('bench-floor-preload'))
  return { rows, ms, fetchMs, parseMs, bytes: text.length }
}

/**
 * Action floor: `count` transactions each writing a note row and an outbox row (the two rows
 * perform() writes), in a database shaped like the app's, each timed until it commits.
 */
async function floorAction(count: number, jobId: string) {
  const db = await scratchDb('bench-floor-action', [
    ['notes', 'id', false, ['jobId']],
    ['outbox', 'seq', true, ['id', 'status']],
  ])
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const id = uuidv7()
    const at = new Date().toISOString()
    const args = { id, jobId, body: `floor note ${i}`, createdAt: at }
    const started = performance.now()
    const tx = db.transaction(['notes', 'outbox'], 'readwrite')
    tx.objectStore('notes').put({ ...args, authorId: 'x', authorName: 'Bench' })
    tx.objectStore('outbox').add({
      id: uuidv7(),
      name: 'note.add',
      args,
      at,
      status: 'queued',
      attempts: 0,
      label: 'Note on a job',
      jobId,
      entityKeys: [`notes:${id}`, `jobs:${jobId}`],
    })
    await done(tx)
    samples.push(performance.now() - started)
    await new Promise((r) => setTimeout(r, 5))
  }
  db.close()
  await request(indexedDB.deleteDatabase('bench-floor-action'))
  return samples
}

/** Diagnosis: the same pages written raw in one transaction, raw one per page, and by applyPull. */
async function preloadVariants() {
  const user = await currentUser()
  if (!user) throw new Error('nobody is signed in')
  const pages: PullResponse[] = []
  let cursor: string | null = null
  for (;;) {
    const url: string = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' })
    const body = (await res.json()) as PullResponse
    pages.push(body)
    cursor = body.cursor
    if (!body.more) break
  }
  const out = {
    rawOne: [] as number[],
    rawPerPage: [] as number[],
    applyPull: [] as number[],
    applyPullWhileFetching: [] as number[],
    putsTogether: [] as number[],
  }
  for (let round = 0; round < 3; round++) {
    {
      const db = await scratchDb('bench-v1', ENTITY_STORES)
      const t = performance.now()
      const tx = db.transaction(
        ENTITY_STORES.map((s) => s[0]),
        'readwrite',
      )
      for (const p of pages)
        for (const [store] of ENTITY_STORES)
          for (const row of (p.changes as unknown as Record<string, unknown[]>)[store] ?? [])
            tx.objectStore(store).put(row)
      await done(tx)
      out.rawOne.push(Math.round(performance.now() - t))
      db.close()
      await request(indexedDB.deleteDatabase('bench-v1'))
    }
    {
      const db = await scratchDb('bench-v2', ENTITY_STORES)
      const t = performance.now()
      for (const p of pages) {
        const tx = db.transaction(
          ENTITY_STORES.map((s) => s[0]),
          'readwrite',
        )
        for (const [store] of ENTITY_STORES)
          for (const row of (p.changes as unknown as Record<string, unknown[]>)[store] ?? [])
            tx.objectStore(store).put(row)
        await done(tx)
      }
      out.rawPerPage.push(Math.round(performance.now() - t))
      db.close()
      await request(indexedDB.deleteDatabase('bench-v2'))
    }
    {
      const db = localDbFor(`bench-v3-${round}`)
      await db.open()
      const t = performance.now()
      for (const p of pages) await applyPull(db, user, p)
      out.applyPull.push(Math.round(performance.now() - t))
      await db.delete()
    }
    {
      // Tried on 2026-12-02: every table's bulkPut issued at once (Promise.all), not one by one.
      const db = localDbFor(`bench-v5-${round}`)
      await db.open()
      const t = performance.now()
      for (const p of pages) {
        const tables = ENTITY_TABLES.map((n) => db.table(n))
        await db.transaction('rw', [...tables, db.outbox, db.meta, db.files], async () => {
          await Promise.all(
            ENTITY_TABLES.filter((n) => p.changes[n].length > 0).map((n) =>
              db.table(n).bulkPut(p.changes[n]),
            ),
          )
          await db.setMeta('cursor', p.cursor)
        })
      }
      out.putsTogether.push(Math.round(performance.now() - t))
      await db.delete()
    }
    {
      // The same writes while the server builds and sends the same pages again (as in a pull,
      // where page n+1 downloads while page n is written): does the server's work slow them?
      const db = localDbFor(`bench-v4-${round}`)
      await db.open()
      const t = performance.now()
      let cursor: string | null = null
      for (const p of pages) {
        const url: string = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
        const fetching = fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then((r) =>
          r.text(),
        )
        await applyPull(db, user, p)
        await fetching
        cursor = p.cursor
      }
      out.applyPullWhileFetching.push(Math.round(performance.now() - t))
      await db.delete()
    }
  }
  return out
}

declare global {
  interface Window {
    fieldlineBench?: {
      queueNotes: typeof queueNotes
      outboxCount: typeof outboxCount
      getMeta: typeof getMeta
      drainSteps: typeof drainSteps
      floorPreload: typeof floorPreload
      floorAction: typeof floorAction
      preloadVariants: typeof preloadVariants
    }
  }
}

window.fieldlineBench = {
  queueNotes,
  outboxCount,
  getMeta,
  drainSteps,
  floorPreload,
  floorAction,
  preloadVariants,
}
