import 'fake-indexeddb/auto'
import Dexie from 'dexie'
import { v4 as uuidv4 } from 'uuid'
import { describe, expect, it } from 'vitest'
import { LocalDb, localDbName, STORES } from '../../offline/localDb'
import { toMutation } from '../../offline/outbox'
import type { OutboxEntry } from '../../offline/outboxEntry'

/**
 * A device that queued actions on the build before (Dexie schema 2, no protocol version on its
 * entries) opens the new build's database (schema 3, then 4). Its queue and files must come
 * through the upgrade; and an upgrade that fails must leave them exactly as they were, never
 * empty. A device on schema 3 (protocol 2, no drafts) upgrades to 4 with all it held.
 */

function entry(seq: number, name: OutboxEntry['name'], args: unknown): OutboxEntry {
  return {
    seq,
    id: uuidv4(),
    name,
    args,
    at: new Date(Date.UTC(2026, 10, 30, 9, seq)).toISOString(),
    status: 'queued',
    attempts: 0,
    label: `Action ${seq}`,
    entityKeys: [],
  }
}

/** What the build before left: schema 2, two queued actions (one with a photo) and its bytes. */
async function databaseOfTheBuildBefore(userId: string) {
  const old = new Dexie(localDbName(userId))
  old.version(2).stores(STORES)
  await old.open()
  const photoId = uuidv4()
  const entries = [
    entry(1, 'payment.add', {
      id: uuidv4(),
      invoiceId: uuidv4(),
      method: 'cash',
      amountCents: 4000,
      reference: null,
      receivedAt: '2026-11-30T09:00:00.000Z',
    }),
    {
      ...entry(2, 'attachment.add', { id: photoId }),
      file: { id: photoId, size: 3, mimeType: 'image/jpeg', sha256: 'ab', uploaded: false },
    },
  ]
  await old.table('outbox').bulkAdd(entries)
  await old.table('files').add({ id: photoId, data: new Uint8Array([1, 2, 3]).buffer, type: 'x' })
  await old.table('meta').add({ key: 'cursor', value: 'p.abc' })
  old.close()
  return { entries, photoId }
}

describe('local database upgrade 2 → 3 (→ 4)', () => {
  it('keeps the queue and files, and stamps each queued action with protocol 1', async () => {
    const userId = uuidv4()
    const { entries, photoId } = await databaseOfTheBuildBefore(userId)

    const db = new LocalDb(userId)
    await db.open()
    expect(db.verno).toBe(4)
    const queue = await db.outbox.orderBy('seq').toArray()
    expect(queue).toEqual(entries.map((e) => ({ ...e, v: 1 })))
    // The old shape is kept as it was made: the server upgrades it, knowing it is version 1.
    expect(toMutation(queue[0] as OutboxEntry)).toMatchObject({ v: 1, args: { reference: null } })
    const file = await db.files.get(photoId)
    expect(new Uint8Array(file?.data as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]))
    expect(await db.getMeta('cursor')).toBe('p.abc')
    db.close()
  })

  it('a failing upgrade is aborted whole: version 2 and its queue stay as they were', async () => {
    const userId = uuidv4()
    const { entries, photoId } = await databaseOfTheBuildBefore(userId)

    // A version 3 whose migration throws halfway through the queue (Dexie runs it in the
    // version-change transaction, which the throw aborts).
    const broken = new Dexie(localDbName(userId))
    broken.version(2).stores(STORES)
    broken
      .version(3)
      .stores(STORES)
      .upgrade(async (tx) => {
        await tx
          .table('outbox')
          .toCollection()
          .modify((e: OutboxEntry) => {
            e.v = 1
          })
        await tx.table('outbox').clear()
        throw new Error('migration bug')
      })
    await expect(broken.open()).rejects.toThrow(/migration bug/)
    broken.close()

    const after = new Dexie(localDbName(userId))
    await after.open() // dynamic mode: opens whatever version is there
    expect(after.verno).toBe(2)
    expect(await after.table('outbox').orderBy('seq').toArray()).toEqual(entries)
    expect(await after.table('files').get(photoId)).toBeDefined()
    after.close()

    // And the real upgrade still runs on it next time.
    const db = new LocalDb(userId)
    await db.open()
    expect((await db.outbox.toArray()).map((e) => e.v)).toEqual([1, 1])
    db.close()
  })
})

describe('local database upgrade 3 → 4 (drafts)', () => {
  it('adds an empty drafts store and keeps every row of every other store', async () => {
    const userId = uuidv4()
    const old = new Dexie(localDbName(userId))
    old.version(2).stores(STORES)
    old.version(3).stores(STORES)
    await old.open()
    const photoId = uuidv4()
    const queued = { ...entry(1, 'note.add', { id: uuidv4() }), v: 2 }
    // A row in every store of version 3, to see each one come through.
    const rows: Record<string, unknown[]> = {
      customers: [{ id: 'c1', name: 'Ada' }],
      jobs: [{ id: 'j1', number: 1042 }],
      appointments: [{ id: 'a1', startsAt: '2026-12-01T09:00:00.000Z', jobId: 'j1' }],
      notes: [{ id: 'n1', jobId: 'j1', body: 'Old note' }],
      labels: [{ id: 'l1', name: 'VIP' }],
      jobForms: [{ id: 'f1', jobId: 'j1' }],
      attachments: [{ id: 'at1', jobId: 'j1' }],
      estimates: [{ id: 'e1', jobId: 'j1' }],
      invoices: [{ id: 'i1', jobId: 'j1' }],
      payments: [{ id: 'p1', invoiceId: 'i1', jobId: 'j1' }],
      signatures: [{ id: 's1', jobId: 'j1' }],
      files: [{ id: photoId, data: new Uint8Array([1, 2, 3]).buffer, type: 'image/jpeg' }],
      outbox: [queued],
      meta: [{ key: 'cursor', value: 'p.abc' }],
    }
    expect(Object.keys(rows).sort()).toEqual(Object.keys(STORES).sort())
    for (const [table, list] of Object.entries(rows)) await old.table(table).bulkAdd(list)
    old.close()

    const db = new LocalDb(userId)
    await db.open()
    expect(db.verno).toBe(4)
    for (const [table, list] of Object.entries(rows)) {
      expect(await db.table(table).toArray(), table).toEqual(list)
    }
    expect(await db.drafts.count()).toBe(0)
    await db.drafts.put({ key: 'k', kind: 'note', id: 'j1', value: 'x', savedAt: '' })
    expect(await db.drafts.get('k')).toMatchObject({ value: 'x' })
    db.close()
  })
})
