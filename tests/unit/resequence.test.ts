import { v4 as uuidv4 } from 'uuid'
import { describe, expect, it } from 'vitest'
import {
  discardEntry,
  listOutbox,
  nextBatch,
  recordResults,
  retryEntry,
  setStatus,
} from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { freshDb, noteArgs, tech } from './helpers'

/**
 * A Failed entry holds back later entries that depend on it (a payment on an invoice whose
 * creation failed) while other entries go on, which moves the server's last seq for the device
 * past the held-back ones. Released (Retry or Discard), they must go out with seqs above
 * everything already sent, in their own order.
 */
describe('releasing held-back entries', () => {
  const body = (e: { name: string; args: unknown }) =>
    e.name === 'note.add'
      ? (e.args as { body: string }).body
      : e.name === 'invoice.create'
        ? 'a1'
        : 'a2'

  async function scenario() {
    const { db, jobs } = await freshDb()
    const [a, b] = [jobs[0]!.id, jobs[1]!.id]
    const invoiceId = uuidv4()
    const queued = [
      await perform(db, tech, 'invoice.create', {
        id: invoiceId,
        jobId: a,
        number: 'I-1042-1',
        lineItems: [{ id: uuidv4(), description: 'Labor', quantity: 1, unitPriceCents: 5_000 }],
        taxRateBps: 0,
        estimateId: null,
        createdAt: new Date().toISOString(),
      }),
      await perform(db, tech, 'payment.add', {
        id: uuidv4(),
        invoiceId,
        method: 'cash',
        amountCents: 1_000,
        receivedAt: new Date().toISOString(),
      }),
      await perform(db, tech, 'note.add', noteArgs(b, 'b1')),
    ]
    if (!queued.every((r) => r.ok)) throw new Error('not queued')
    const [a1] = await listOutbox(db)
    // a1 was refused; a2 (its payment) waits behind it; b1 was sent and applied (last seq = 3).
    await recordResults(db, [a1!], [{ id: a1!.id, seq: 1, status: 'rejected', reason: 'no' }])
    const batch = await nextBatch(db, 200, 1_000_000)
    expect(batch.map(body)).toEqual(['b1'])
    await recordResults(db, batch, [{ id: batch[0]!.id, seq: 3, status: 'applied' }])
    return { db, a1: a1!, jobId: a }
  }

  it('Retry gives the released entry and those behind it new seqs, in order, above the sent ones', async () => {
    const { db, a1 } = await scenario()
    await retryEntry(db, a1.seq as number)
    const batch = await nextBatch(db, 200, 1_000_000)
    expect(batch.map(body)).toEqual(['a1', 'a2'])
    expect(batch[0]!.id).toBe(a1.id)
    expect(batch.every((e) => (e.seq as number) > 3)).toBe(true)
    expect(batch[1]!.seq as number).toBeGreaterThan(batch[0]!.seq as number)
  })

  it('Discard releases the entries behind it with seqs above the sent ones', async () => {
    const { db, a1 } = await scenario()
    await discardEntry(db, tech, a1.seq as number)
    const batch = await nextBatch(db, 200, 1_000_000)
    expect(batch.map(body)).toEqual(['a2'])
    expect(batch[0]!.seq as number).toBeGreaterThan(3)
  })

  it('leaves entries being uploaded alone', async () => {
    const { db, a1, jobId } = await scenario()
    const res = await perform(db, tech, 'note.add', noteArgs(jobId, 'x'))
    if (!res.ok) throw new Error(res.reason)
    const seq = res.entry.seq as number
    await setStatus(db, [res.entry], 'uploading')
    await retryEntry(db, a1.seq as number)
    expect((await db.outbox.get(seq))?.status).toBe('uploading')
  })
})
