import { afterEach, describe, expect, it, vi } from 'vitest'
import { listOutbox } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { drain } from '../../offline/syncEngine'
import type { PushRequest } from '../../protocol/sync'
import { freshDb, noteArgs, tech } from './helpers'

/**
 * The drain against a stand-in server (fetch stubbed): a poisoned entry is narrowed down and
 * set aside as Failed while everything else uploads; a server failing on everything sets nothing
 * aside; a 503 is only retried later.
 */
type Answer = (req: PushRequest) => { status: number; body?: unknown }

function stubServer(answer: Answer) {
  const pushes: number[] = []
  const stored: string[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    if (url === '/api/health') return Response.json({ ok: true })
    const req = JSON.parse(String(init.body)) as PushRequest
    pushes.push(req.mutations.length)
    const { status, body } = answer(req)
    if (status === 200) {
      for (const m of req.mutations) stored.push((m.args as { body: string }).body)
      const results = req.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' }))
      return Response.json({ results })
    }
    return Response.json(body ?? { error: 'internal', message: 'Something went wrong.' }, {
      status,
    })
  })
  return { pushes, stored }
}

afterEach(() => vi.unstubAllGlobals())

async function queue(bodies: string[]) {
  const { db, jobs } = await freshDb()
  for (const body of bodies) {
    expect((await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, body))).ok).toBe(true)
  }
  return db
}

const poisoned: Answer = (req) =>
  req.mutations.some((m) => (m.args as { body: string }).body === 'poison')
    ? { status: 500 }
    : { status: 200 }

describe('a batch the server keeps failing on is split until the bad action is found', () => {
  it('sets the poisoned entry aside as Failed and uploads all the others, in order', async () => {
    const bodies = Array.from({ length: 100 }, (_, i) => (i === 37 ? 'poison' : `n${i}`))
    const db = await queue(bodies)
    const server = stubServer(poisoned)
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'done', uploaded: 99, failed: 1 })
    expect(server.stored).toEqual(bodies.filter((b) => b !== 'poison'))
    const left = await listOutbox(db)
    expect(left).toHaveLength(1)
    expect(left[0]).toMatchObject({ status: 'failed', code: 'server_error' })
    expect(left[0]?.reason).toMatch(/error 500/)
    // Bisection, not one at a time: a handful of pushes for 100 entries.
    expect(server.pushes.length).toBeLessThan(25)
  })

  it('a server failing on everything sets nothing aside: all stay Queued for later', async () => {
    const db = await queue(['a', 'b', 'c'])
    stubServer(() => ({ status: 500 }))
    const report = await drain(db)
    expect(report.outcome).toBe('server')
    expect(report.failed).toBe(0)
    expect((await listOutbox(db)).map((e) => e.status)).toEqual(['queued', 'queued', 'queued'])
  })

  it('503 (the database is down) blames nothing: the batch waits whole', async () => {
    const db = await queue(['a', 'b', 'c', 'd'])
    const server = stubServer(() => ({
      status: 503,
      body: { error: 'store_unavailable', message: 'later' },
    }))
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'server', failed: 0 })
    expect(server.pushes).toEqual([4])
    const left = await listOutbox(db)
    expect(left.map((e) => [e.status, e.batchLimit])).toEqual(left.map(() => ['queued', undefined]))
  })

  it('timeouts narrow the batch one backoff at a time, and blame an entry only after four alone', async () => {
    const db = await queue(['a', 'poison', 'c', 'd'])
    // The poisoned push never answers (the drain's time limit cuts it).
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      if (url === '/api/health') return Response.json({ ok: true })
      const req = JSON.parse(String(init.body)) as PushRequest
      if (req.mutations.some((m) => (m.args as { body: string }).body === 'poison')) {
        return new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(new DOMException('', 'AbortError'))),
        )
      }
      return Response.json({
        results: req.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' })),
      })
    })
    const outcomes: string[] = []
    for (let i = 0; i < 12 && (await listOutbox(db)).some((e) => e.status === 'queued'); i++) {
      outcomes.push((await drain(db, { timeoutMs: 20 })).outcome)
    }
    const left = await listOutbox(db)
    expect(left.map((e) => [(e.args as { body: string }).body, e.status])).toEqual([
      ['poison', 'failed'],
    ])
    expect(outcomes.filter((o) => o === 'timeout').length).toBeGreaterThanOrEqual(4)
  })

  it('a slow server is not a bad action: each try alone waits longer, and the entry uploads', async () => {
    const db = await queue(['a', 'slow', 'c'])
    // The push carrying 'slow' answers after 100 ms, five times the drain's time limit.
    const stored: string[] = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      if (url === '/api/health') return Response.json({ ok: true })
      const req = JSON.parse(String(init.body)) as PushRequest
      const bodies = req.mutations.map((m) => (m.args as { body: string }).body)
      if (bodies.includes('slow')) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 100)
          init.signal?.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(new DOMException('', 'AbortError'))
          })
        })
      }
      stored.push(...bodies)
      return Response.json({
        results: req.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' })),
      })
    })
    for (let i = 0; i < 12 && (await listOutbox(db)).length > 0; i++) {
      await drain(db, { timeoutMs: 20 })
    }
    expect(await listOutbox(db)).toEqual([])
    expect(stored).toEqual(['a', 'slow', 'c'])
  })

  it('failures by chance blame nothing: an entry set aside gets a second chance behind the rest, and uploads', async () => {
    const bodies = ['a', 'b', 'unlucky', 'c', 'd']
    const db = await queue(bodies)
    // Every push carrying 'unlucky' fails the first five times (a flaky link), then goes through.
    let unluckyFailures = 0
    const server = stubServer((req) => {
      const unlucky = req.mutations.some((m) => (m.args as { body: string }).body === 'unlucky')
      if (unlucky && unluckyFailures < 5) {
        unluckyFailures++
        return { status: 500 }
      }
      return { status: 200 }
    })
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'done', uploaded: 5, failed: 0 })
    expect(await listOutbox(db)).toEqual([])
    // It went last: the others were not held back while it was in doubt.
    expect(server.stored).toEqual(['a', 'b', 'c', 'd', 'unlucky'])
  })
})
