import { v4 as uuid } from 'uuid'
import { describe, expect, it } from 'vitest'
import {
  discardEntry,
  listOutbox,
  nextBatch,
  recordResults,
  resolveConflict,
} from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { applyPull } from '../../offline/pull'
import { applyRetention } from '../../offline/retention'
import type { PullResponse } from '../../protocol/sync'
import { freshDb, noteArgs, tech } from './helpers'

const edit = (jobId: string, changes: object, base: object, baseVersion = 1) => ({
  jobId,
  baseVersion,
  changes,
  base,
})

function emptyPull(cursor: string): PullResponse {
  return {
    cursor,
    more: false,
    serverTime: new Date().toISOString(),
    removed: [],
    changes: {
      customers: [],
      jobs: [],
      appointments: [],
      notes: [],
      labels: [],
      jobForms: [],
      attachments: [],
      estimates: [],
      invoices: [],
      payments: [],
      signatures: [],
    },
  }
}

describe('edits on the device', () => {
  it('repeated edits of the same job fold into one queued upload, keeping the first base', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'job.update', edit(job.id, { title: 'A' }, { title: job.title }))
    await perform(
      db,
      tech,
      'job.update',
      edit(job.id, { title: 'B', status: 'in_progress' }, { title: 'A', status: 'scheduled' }),
    )
    const queue = await listOutbox(db)
    expect(queue).toHaveLength(1)
    expect(queue[0]!.args).toMatchObject({
      changes: { title: 'B', status: 'in_progress' },
      base: { title: job.title, status: 'scheduled' },
    })
    expect((await db.jobs.get(job.id))?.title).toBe('B')
  })

  it('does not fold across a different action, so order is kept', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'job.update', edit(job.id, { title: 'A' }, { title: job.title }))
    await perform(db, tech, 'note.add', noteArgs(job.id, 'between'))
    await perform(db, tech, 'job.update', edit(job.id, { title: 'B' }, { title: 'A' }))
    expect((await listOutbox(db)).map((e) => e.name)).toEqual([
      'job.update',
      'note.add',
      'job.update',
    ])
  })

  it('Discard takes the change back but keeps later queued changes', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'job.update', edit(job.id, { title: 'Mine' }, { title: job.title }))
    await perform(db, tech, 'note.add', noteArgs(job.id, 'keep me'))
    await perform(
      db,
      tech,
      'job.update',
      edit(job.id, { description: 'later' }, { description: '' }),
    )
    const [first] = await listOutbox(db)
    await db.outbox.update(first!.seq!, { status: 'failed', reason: 'no' })
    await discardEntry(db, tech, first!.seq!)
    const after = await db.jobs.get(job.id)
    expect(after?.title).toBe(job.title)
    expect(after?.description).toBe('later')
    expect((await db.notes.toArray()).map((n) => n.body)).toEqual(['keep me'])
    expect(await db.outbox.count()).toBe(2)
  })

  it('a created entity is removed again on Discard', async () => {
    const { db, jobs } = await freshDb()
    const args = noteArgs(jobs[0]!.id, 'oops')
    await perform(db, tech, 'note.add', args)
    const [entry] = await listOutbox(db)
    await discardEntry(db, tech, entry!.seq!)
    expect(await db.notes.get(args.id)).toBeUndefined()
  })

  it("Conflict: Keep mine re-bases on the office value; Use office's takes it, on the device at once", async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'job.update', edit(job.id, { title: 'Mine' }, { title: job.title }))
    await perform(
      db,
      tech,
      'job.update',
      edit(jobs[1]!.id, { title: 'Mine too' }, { title: jobs[1]!.title }),
    )
    const batch = await listOutbox(db)
    await recordResults(db, batch, [
      {
        id: batch[0]!.id,
        seq: batch[0]!.seq!,
        status: 'conflict',
        conflicts: [{ field: 'title', server: 'Office', mine: 'Mine' }],
        serverVersion: 5,
      },
      {
        id: batch[1]!.id,
        seq: batch[1]!.seq!,
        status: 'conflict',
        conflicts: [{ field: 'title', server: 'Office 2', mine: 'Mine too' }],
        serverVersion: 7,
      },
    ])
    const [a, b] = await listOutbox(db)
    expect(a!.status).toBe('conflict')
    await resolveConflict(db, a!.seq!, () => 'mine')
    const kept = (await db.outbox.get(a!.seq!))!
    expect(kept.status).toBe('queued')
    expect(kept.args).toMatchObject({
      baseVersion: 5,
      base: { title: 'Office' },
      changes: { title: 'Mine' },
    })
    // Use office's: the edit stays queued (the server applies nothing more, the next pull
    // confirms), and the device shows the office's value at once.
    await resolveConflict(db, b!.seq!, () => 'server')
    expect((await db.outbox.get(b!.seq!))?.args).toMatchObject({
      base: { title: 'Office 2' },
      changes: { title: 'Office 2' },
    })
    expect(await db.jobs.get(jobs[1]!.id)).toMatchObject({ title: 'Office 2' })
  })
})

describe('pull on the device', () => {
  it('applies changes and removals, then lays queued actions over fresh data', async () => {
    const { db, jobs } = await freshDb()
    const [a, b] = [jobs[0]!, jobs[1]!]
    await perform(db, tech, 'job.update', edit(a.id, { title: 'Mine' }, { title: a.title }))
    const page = emptyPull('42.1')
    page.changes.jobs = [
      { ...a, title: 'Office title', description: 'Office description', version: 2 },
    ]
    page.removed = [
      { table: 'jobs', id: b.id, reason: 'Job #1043 was reassigned to another technician.' },
    ]
    await applyPull(db, tech, page)
    expect(await db.jobs.get(a.id)).toMatchObject({
      title: 'Mine',
      description: 'Office description',
    })
    expect(await db.jobs.get(b.id)).toBeUndefined()
    expect(await db.getMeta('cursor')).toBe('42.1')
  })
})

describe('retention', () => {
  it('clears jobs older than 30 days, except what a queued action refers to', async () => {
    const { db, jobs } = await freshDb()
    const [old, kept] = [jobs[0]!, jobs[1]!]
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString()
    for (const job of [old, kept]) {
      await db.appointments.put({
        id: uuid(),
        jobId: job.id,
        startsAt: longAgo,
        endsAt: longAgo,
        status: 'completed',
        version: 1,
      })
      await db.notes.put({
        id: uuid(),
        jobId: job.id,
        authorId: tech.id,
        authorName: tech.name,
        body: 'n',
        createdAt: longAgo,
      })
      await db.customers.put({
        id: job.customerId,
        name: 'C',
        phones: [],
        email: null,
        address: 'x',
        version: 1,
      })
    }
    await perform(db, tech, 'note.add', noteArgs(kept.id, 'unsent'))
    expect(await applyRetention(db, new Date())).toBe(1)
    expect(await db.jobs.get(old.id)).toBeUndefined()
    expect(await db.notes.where('jobId').equals(old.id).count()).toBe(0)
    expect(await db.customers.get(old.customerId)).toBeUndefined()
    expect(await db.jobs.get(kept.id)).toBeDefined()
    expect(await db.notes.where('jobId').equals(kept.id).count()).toBe(2)
  })
})

describe('files in the queue', () => {
  it('a photo waits for its own upload; the actions before it go first', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'note.add', noteArgs(job.id, 'before'))
    const photo = {
      id: uuid(),
      jobId: job.id,
      kind: 'photo',
      filename: 'p.jpg',
      mimeType: 'image/jpeg',
      size: 3,
      sha256: 'b'.repeat(64),
      takenAt: new Date().toISOString(),
      thumbnail: null,
    }
    const res = await perform(db, tech, 'attachment.add', photo, {
      blob: new Blob([new Uint8Array([1, 2, 3])]),
    })
    expect(res.ok).toBe(true)
    await perform(db, tech, 'note.add', noteArgs(job.id, 'after'))
    expect((await db.files.get(photo.id))?.data.byteLength).toBe(3)
    const first = await nextBatch(db, 100, 1_000_000)
    expect(first.map((e) => e.name)).toEqual(['note.add'])
    await db.outbox.delete(first[0]!.seq!)
    const second = await nextBatch(db, 100, 1_000_000)
    expect(second.map((e) => e.name)).toEqual(['attachment.add'])
    await db.outbox.update(second[0]!.seq!, { file: { ...second[0]!.file!, uploaded: true } })
    expect((await nextBatch(db, 100, 1_000_000)).map((e) => e.name)).toEqual([
      'attachment.add',
      'note.add',
    ])
  })
})
