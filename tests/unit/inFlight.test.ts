import { describe, expect, it } from 'vitest'
import {
  discardEntry,
  failAll,
  listOutbox,
  markServerError,
  recordResults,
  releaseSuspect,
  resetInterrupted,
  retryEntry,
  setStatus,
  takeBatch,
} from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { freshDb, noteArgs, tech } from './helpers'

/**
 * The push on its way is one record (offline/inFlight.ts), not rows rewritten as Uploading.
 * Everything the Uploading status guarded must hold the same: an entry in flight is never
 * folded into, discarded or renumbered, shows as Uploading, and is marked sent however the
 * push ends, even when the tab died during it.
 */
const edit = (jobId: string, title: string, before: string) => ({
  jobId,
  baseVersion: 1,
  changes: { title },
  base: { title: before },
})

describe('a batch in flight', () => {
  it('shows as Uploading while the rows stay as they were', async () => {
    const { db, jobs } = await freshDb()
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'one'))
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'two'))
    const batch = await takeBatch(db, 1, 1_000_000)
    expect(batch.map((e) => e.sent)).toEqual([true])
    expect((await listOutbox(db)).map((e) => [e.status, Boolean(e.sent)])).toEqual([
      ['uploading', true],
      ['queued', false],
    ])
    expect((await db.outbox.toArray()).map((e) => e.status)).toEqual(['queued', 'queued'])
  })

  it('is never folded into: a newer edit of the same job gets its own entry', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'job.update', edit(job.id, 'A', job.title))
    const batch = await takeBatch(db, 200, 1_000_000)
    await perform(db, tech, 'job.update', edit(job.id, 'B', 'A'))
    const rows = await db.outbox.toArray()
    expect(rows).toHaveLength(2)
    expect(rows[0]!.args).toMatchObject({ changes: { title: 'A' } })
    // Once answered, the sent edit leaves and the newer one waits, unchanged.
    await recordResults(db, batch, [{ id: batch[0]!.id, seq: 1, status: 'applied' }])
    const left = await listOutbox(db)
    expect(left.map((e) => [e.status, (e.args as { changes: object }).changes])).toEqual([
      ['queued', { title: 'B' }],
    ])
  })

  it('cannot be discarded, and is not renumbered when an earlier entry is retried', async () => {
    const { db, jobs } = await freshDb()
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'refused'))
    await perform(db, tech, 'note.add', noteArgs(jobs[1]!.id, 'flying'))
    const [first] = await takeBatch(db, 1, 1_000_000)
    await recordResults(db, [first!], [{ id: first!.id, seq: 1, status: 'rejected' }])
    const flying = await takeBatch(db, 200, 1_000_000)
    expect(flying.map((e) => e.seq)).toEqual([2])
    await discardEntry(db, tech, 2)
    expect(await db.outbox.get(2)).toBeDefined()
    await retryEntry(db, first!.seq as number)
    // The retried entry is renumbered behind; the one in flight keeps its seq.
    expect((await db.outbox.toArray()).map((e) => e.seq)).toEqual([2, 3])
    await recordResults(db, flying, [{ id: flying[0]!.id, seq: 2, status: 'applied' }])
    expect((await listOutbox(db)).map((e) => [e.seq, e.status])).toEqual([[3, 'queued']])
  })

  it('is marked sent whichever way the push ends', async () => {
    for (const settle of ['no answer', 'server error'] as const) {
      const { db, jobs } = await freshDb()
      await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, settle))
      const batch = await takeBatch(db, 200, 1_000_000)
      if (settle === 'no answer') await setStatus(db, batch, 'queued')
      else await markServerError(db, batch)
      const [row] = await listOutbox(db)
      expect([settle, row!.status, row!.sent]).toEqual([settle, 'queued', true])
    }
  })

  it('a push cut short by a killed tab: the next drain marks its entries sent', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'job.update', edit(job.id, 'A', job.title))
    await takeBatch(db, 200, 1_000_000)
    // The tab dies here: nothing settles the batch. The next drain starts with this.
    await resetInterrupted(db)
    const [row] = await listOutbox(db)
    expect([row!.status, row!.sent]).toEqual(['queued', true])
    // Sent once, so a newer edit is not folded into it (its id may hold the old args).
    await perform(db, tech, 'job.update', edit(job.id, 'B', 'A'))
    expect(await db.outbox.count()).toBe(2)
  })

  it('rows marked Uploading by an older version are put back, sent', async () => {
    const { db, jobs } = await freshDb()
    const res = await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'old'))
    if (!res.ok) throw new Error('not queued')
    await setStatus(db, [res.entry], 'uploading')
    await resetInterrupted(db)
    const [row] = await db.outbox.toArray()
    expect([row!.status, row!.sent]).toEqual(['queued', true])
  })

  it('settling other entries never drops the guard on the batch in flight', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    await perform(db, tech, 'note.add', noteArgs(job.id, 'set aside'))
    const [aside] = await takeBatch(db, 1, 1_000_000)
    await failAll(db, [aside!], 'The server failed on this action', 'server_error')
    await perform(db, tech, 'job.update', edit(job.id, 'A', job.title))
    const flying = await takeBatch(db, 200, 1_000_000)
    // Another entry settled while the batch is in flight: the batch keeps its guard.
    await setStatus(db, [{ ...aside!, status: 'failed' }], 'failed')
    await perform(db, tech, 'job.update', edit(job.id, 'B', 'A'))
    expect(await db.outbox.count()).toBe(3)
    expect((await listOutbox(db)).map((e) => e.status)).toEqual(['failed', 'uploading', 'queued'])
    expect(flying).toHaveLength(1)
  })

  it('a wrongly blamed entry goes back with the batch, unless it was discarded meanwhile', async () => {
    for (const discarded of [false, true]) {
      const { db, jobs } = await freshDb()
      await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'blamed'))
      await perform(db, tech, 'note.add', noteArgs(jobs[1]!.id, 'next'))
      const [suspect] = await takeBatch(db, 1, 1_000_000)
      await failAll(db, [suspect!], 'The server failed on this action', 'server_error')
      const batch = await takeBatch(db, 200, 1_000_000)
      if (discarded) await discardEntry(db, tech, suspect!.seq as number)
      await releaseSuspect(db, suspect!, batch)
      const rows = await listOutbox(db)
      expect(rows.map((e) => [(e.args as { body: string }).body, e.status, e.sent])).toEqual([
        ...(discarded ? [] : [['blamed', 'queued', true]]),
        ['next', 'queued', true],
      ])
    }
  })
})
