import { describe, expect, it } from 'vitest'
import { listOutbox } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { freshDb, noteArgs, tech } from './helpers'

describe('perform', () => {
  it('saves the note and its queue entry together, labelled and in order', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    const a = await perform(db, tech, 'note.add', noteArgs(job.id, 'first'))
    const b = await perform(db, tech, 'note.add', noteArgs(job.id, 'second'))
    expect(a.ok && b.ok).toBe(true)
    const queue = await listOutbox(db)
    expect(queue.map((e) => (e.args as { body: string }).body)).toEqual(['first', 'second'])
    expect(queue[0]!.seq).toBeLessThan(queue[1]!.seq!)
    expect(queue[0]!.label).toBe('Note on Job #1042 — Replace water heater')
    expect(queue[0]!.status).toBe('queued')
    expect(queue[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/)
    expect(await db.notes.count()).toBe(2)
    const note = await db.notes.get((queue[0]!.args as { id: string }).id)
    expect(note?.authorName).toBe(tech.name)
  })

  it('names the job an estimate\'s edit belongs to ("Estimate E-1042-1 edited" alone did not)', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    const estimate = {
      id: crypto.randomUUID(),
      jobId: job.id,
      number: 'E-1042-1',
      status: 'draft' as const,
      lineItems: [
        { id: crypto.randomUUID(), description: 'Labor', quantity: 1, unitPriceCents: 100 },
      ],
      taxRateBps: 0,
      createdAt: new Date().toISOString(),
      version: 1,
    }
    await db.estimates.put(estimate)
    const res = await perform(db, tech, 'estimate.update', {
      estimateId: estimate.id,
      baseVersion: 1,
      changes: { status: 'sent' },
      base: { status: 'draft' },
    })
    expect(res.ok).toBe(true)
    const [entry] = await listOutbox(db)
    expect(entry!.label).toBe('Estimate E-1042-1 edited (Job #1042 — Replace water heater)')
  })

  it('refuses invalid input with the shared schema and saves nothing', async () => {
    const { db, jobs } = await freshDb()
    const res = await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, '   '))
    expect(res).toEqual({ ok: false, code: 'invalid', reason: 'body must not be empty' })
    const bad = await perform(db, tech, 'note.add', { ...noteArgs(jobs[0]!.id, 'x'), extra: 1 })
    expect(bad.ok).toBe(false)
    expect(await db.outbox.count()).toBe(0)
    expect(await db.notes.count()).toBe(0)
  })

  it('a full device keeps everything saved before and half-saves nothing', async () => {
    const { db, jobs } = await freshDb()
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'saved before'))
    const full = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    }
    db.outbox.hook('creating', full)
    const res = await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'does not fit'))
    db.outbox.hook('creating').unsubscribe(full)
    expect(res.ok).toBe(false)
    expect(!res.ok && res.code).toBe('storage_full')
    expect(!res.ok && res.reason).toMatch(/out of storage space/)
    // The note row written before the outbox entry failed was rolled back with it.
    expect((await db.notes.toArray()).map((n) => n.body)).toEqual(['saved before'])
    expect(await db.outbox.count()).toBe(1)
  })
})
