import { v4 as uuidv4 } from 'uuid'
import { describe, expect, it } from 'vitest'
import {
  listOutbox,
  nextBatch,
  recordResults,
  resetInterrupted,
  retryEntry,
  setStatus,
} from '../../offline/outbox'
import { entityKey } from '../../offline/outboxEntry'
import { perform } from '../../offline/perform'
import { freshDb, noteArgs, tech } from './helpers'

async function queueNotes(n: number, jobIds: string[]) {
  const { db } = await freshDb()
  for (let i = 0; i < n; i++) {
    const res = await perform(db, tech, 'note.add', noteArgs(jobIds[i % jobIds.length]!, `n${i}`))
    if (!res.ok) throw new Error(res.reason)
  }
  return db
}

describe('outbox batches', () => {
  it('takes queued entries oldest first, at most `max` per batch', async () => {
    const { db, jobs } = await freshDb()
    for (let i = 0; i < 7; i++) await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, `n${i}`))
    const batch = await nextBatch(db, 5, 1_000_000)
    expect(batch.map((e) => (e.args as { body: string }).body)).toEqual([
      'n0',
      'n1',
      'n2',
      'n3',
      'n4',
    ])
  })

  it('splits by size so a push stays under the server limit', async () => {
    const { db, jobs } = await freshDb()
    for (let i = 0; i < 4; i++) {
      await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'x'.repeat(5_000)))
    }
    expect((await nextBatch(db, 100, 12_000)).length).toBe(2)
    // A single entry bigger than the limit still goes alone rather than never.
    expect((await nextBatch(db, 100, 10)).length).toBe(1)
  })

  it('a Failed note holds back nothing else: the next notes on the same job go on', async () => {
    const { db, jobs } = await freshDb()
    const [a, b] = [jobs[0]!.id, jobs[1]!.id]
    for (const [job, body] of [
      [a, 'a1'],
      [b, 'b1'],
      [a, 'a2'],
      [b, 'b2'],
    ] as const) {
      await perform(db, tech, 'note.add', noteArgs(job, body))
    }
    const [first] = await listOutbox(db)
    await db.outbox.update(first!.seq!, { status: 'failed', reason: 'no' })
    const batch = await nextBatch(db, 100, 1_000_000)
    expect(batch.map((e) => (e.args as { body: string }).body)).toEqual(['b1', 'a2', 'b2'])
    // The job is still among its keys: it shows as pending, and retention keeps it.
    expect(first!.entityKeys).toContain(entityKey('jobs', a))
  })

  it('a Failed action holds back later actions on the same entity and what depends on it, only', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[0]!
    const edit = (title: string, base: string) =>
      perform(db, tech, 'job.update', {
        jobId: job.id,
        baseVersion: 1,
        changes: { title },
        base: { title: base },
      })
    const invoiceId = uuidv4()
    const line = { id: uuidv4(), description: 'Labor', quantity: 1, unitPriceCents: 10_000 }
    const steps = [
      () => edit('Title A', job.title),
      () =>
        perform(db, tech, 'invoice.create', {
          id: invoiceId,
          jobId: job.id,
          number: 'I-1042-1',
          lineItems: [line],
          taxRateBps: 0,
          estimateId: null,
          createdAt: new Date().toISOString(),
        }),
      () => perform(db, tech, 'note.add', noteArgs(job.id, 'note on the same job')),
      () =>
        perform(db, tech, 'payment.add', {
          id: uuidv4(),
          invoiceId,
          method: 'cash',
          amountCents: 1_000,
          receivedAt: new Date().toISOString(),
        }),
    ]
    for (const step of steps) expect((await step()).ok).toBe(true)
    // The title edit was sent once (so a newer edit is a new entry, not folded into it).
    const [titleEdit, invoice] = await listOutbox(db)
    await db.outbox.update(titleEdit!.seq!, { sent: true })
    expect((await edit('Title B', 'Title A')).ok).toBe(true)
    const edits = (await listOutbox(db)).filter((e) => e.name === 'job.update')
    expect(edits.map((e) => (e.args as { changes: { title: string } }).changes.title)).toEqual([
      'Title A',
      'Title B',
    ])

    await db.outbox.update(titleEdit!.seq!, { status: 'failed', reason: 'no' })
    await db.outbox.update(invoice!.seq!, { status: 'failed', reason: 'no' })
    const names = (await nextBatch(db, 100, 1_000_000)).map((e) =>
      e.name === 'note.add' ? (e.args as { body: string }).body : e.name,
    )
    // The second title edit waits for the first; the payment waits for its invoice; the note goes.
    expect(names).toEqual(['note on the same job'])
  })

  it('entries queued before dependsOn existed follow the same rule (their job key is not a dependency)', async () => {
    const { db, jobs } = await freshDb()
    for (const body of ['first', 'second']) {
      await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, body))
    }
    const [first, second] = await listOutbox(db)
    for (const e of [first!, second!]) {
      await db.outbox.update(e.seq!, { dependsOn: undefined })
    }
    await db.outbox.update(first!.seq!, { status: 'failed', reason: 'no' })
    expect((await nextBatch(db, 100, 1_000_000)).map((e) => e.id)).toEqual([second!.id])
  })

  it('records answers: applied and duplicate leave, rejected becomes Failed with the reason', async () => {
    const { jobs, db } = await freshDb()
    for (const body of ['x', 'y', 'z', 'w'])
      await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, body))
    const batch = await listOutbox(db)
    const [x, y, z] = batch as [(typeof batch)[0], (typeof batch)[0], (typeof batch)[0]]
    const res = await recordResults(db, batch, [
      { id: x!.id, seq: x!.seq!, status: 'applied' },
      { id: y!.id, seq: y!.seq!, status: 'duplicate' },
      {
        id: z!.id,
        seq: z!.seq!,
        status: 'rejected',
        code: 'forbidden',
        reason: 'Job #1042 is no longer assigned to you',
      },
      // w: no answer at all -> stays queued, sent again later
    ])
    expect(res).toEqual({ done: 2, failed: 1 })
    const left = await listOutbox(db)
    expect(left.map((e) => [e.status, e.reason ?? null, e.attempts])).toEqual([
      ['failed', 'Job #1042 is no longer assigned to you', 1],
      ['queued', null, 1],
    ])
    await retryEntry(db, left[0]!.seq!)
    expect((await listOutbox(db))[0]!.status).toBe('queued')
  })

  it('entries left Uploading by a killed tab go back to Queued', async () => {
    const db = await queueNotes(3, [(await freshDb()).jobs[0]!.id])
    await setStatus(db, await listOutbox(db), 'uploading')
    expect(await nextBatch(db, 10, 1_000_000)).toEqual([])
    await resetInterrupted(db)
    expect((await nextBatch(db, 10, 1_000_000)).length).toBe(3)
  })

  it('Retry of an action refused as id_reused sends it under a new id', async () => {
    const { db, jobs } = await freshDb()
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'reused'))
    const [entry] = await listOutbox(db)
    await recordResults(
      db,
      [entry!],
      [{ id: entry!.id, seq: entry!.seq!, status: 'rejected', code: 'id_reused', reason: 'no' }],
    )
    await retryEntry(db, entry!.seq!)
    const [again] = await listOutbox(db)
    expect(again).toMatchObject({ status: 'queued', args: entry!.args })
    expect(again!.id).not.toBe(entry!.id)
  })

  it('Retry of an action refused as clock_ahead stamps it now, not with the wrong clock', async () => {
    const { db, jobs } = await freshDb()
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'from a fast clock'))
    const [entry] = await listOutbox(db)
    const ahead = new Date(Date.now() + 30 * 86_400_000).toISOString()
    await db.outbox.update(entry!.seq!, { at: ahead })
    await recordResults(
      db,
      [entry!],
      [{ id: entry!.id, seq: entry!.seq!, status: 'rejected', code: 'clock_ahead', reason: 'no' }],
    )
    await retryEntry(db, entry!.seq!)
    const [again] = await listOutbox(db)
    expect(again).toMatchObject({ status: 'queued', id: entry!.id, args: entry!.args })
    expect(Math.abs(Date.parse(again!.at) - Date.now())).toBeLessThan(60_000)
  })
})
