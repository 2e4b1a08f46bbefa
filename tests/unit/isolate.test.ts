import { afterEach, describe, expect, it, vi } from 'vitest'
import { listOutbox } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { drain } from '../../offline/syncEngine'
import type { PushRequest } from '../../protocol/sync'
import { freshDb, noteArgs, tech } from './helpers'

/**
 * A batch refused whole (400) for what one of its actions carries, as a server before per-action
 * envelopes did for an unknown action name: the drain narrows it down to that action, which alone
 * ends Failed with the server's reason, and everything else uploads. A refusal about the request
 * as a whole (403, 413, a malformed device id) still fails the batch at once, as before.
 */
type Refusal = { status: number; body: { error: string; message: string } }

const bodyOf = (m: PushRequest['mutations'][number]) => (m.args as { body: string }).body

function stubServer(refuse: (req: PushRequest) => Refusal | null) {
  const pushes: number[] = []
  const stored: string[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    if (url === '/api/health') return Response.json({ ok: true })
    const req = JSON.parse(String(init.body)) as PushRequest
    pushes.push(req.mutations.length)
    const refusal = refuse(req)
    if (refusal) return Response.json(refusal.body, { status: refusal.status })
    stored.push(...req.mutations.map(bodyOf))
    return Response.json({
      results: req.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' })),
    })
  })
  return { pushes, stored }
}

/** What the server before per-action envelopes answered for an action it could not read. */
const oldServer = (req: PushRequest): Refusal | null => {
  const i = req.mutations.findIndex((m) => bodyOf(m).startsWith('poison'))
  if (i < 0) return null
  return {
    status: 400,
    body: { error: 'invalid_request', message: `mutations.${i}.name is not a known action` },
  }
}

afterEach(() => vi.unstubAllGlobals())

async function queue(bodies: string[]) {
  const { db, jobs } = await freshDb()
  for (const body of bodies) {
    expect((await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, body))).ok).toBe(true)
  }
  return db
}

describe('a batch refused for one of its actions', () => {
  it('fails only that action, with the server’s reason, and uploads the rest in order', async () => {
    const bodies = Array.from({ length: 300 }, (_, i) => (i === 137 ? 'poison' : `n${i}`))
    const db = await queue(bodies)
    const server = stubServer(oldServer)
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'done', uploaded: 299, failed: 1 })
    expect(server.stored).toEqual(bodies.filter((b) => b !== 'poison'))
    const left = await listOutbox(db)
    expect(left.map((e) => [(e.args as { body: string }).body, e.status, e.code])).toEqual([
      ['poison', 'failed', 'invalid_request'],
    ])
    expect(left[0]?.reason).toBe('mutations.0.name is not a known action')
    // Split where the server said, not one action at a time.
    expect(server.pushes.length).toBeLessThan(8)
    // The rest went on in full batches again once the culprit was found.
    expect(server.pushes.at(-1)).toBe(162)
  })

  it('finds each of several bad actions, the first one included', async () => {
    const bodies = ['poison-a', 'b', 'c', 'poison-d', 'e', 'f', 'g', 'poison-h']
    const db = await queue(bodies)
    const server = stubServer(oldServer)
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'done', uploaded: 5, failed: 3 })
    expect(server.stored).toEqual(['b', 'c', 'e', 'f', 'g'])
    expect(
      (await listOutbox(db)).map((e) => [(e.args as { body: string }).body, e.status]),
    ).toEqual([
      ['poison-a', 'failed'],
      ['poison-d', 'failed'],
      ['poison-h', 'failed'],
    ])
  })

  it('a refusal of the request as a whole still fails the batch at once', async () => {
    const refusals: Refusal[] = [
      { status: 400, body: { error: 'invalid_request', message: 'deviceId must be a UUID' } },
      {
        status: 403,
        body: { error: 'forbidden', message: 'This device id belongs to another user.' },
      },
      { status: 413, body: { error: 'payload_too_large', message: 'The body is larger…' } },
    ]
    for (const refusal of refusals) {
      const db = await queue(['a', 'b', 'c'])
      const server = stubServer(() => refusal)
      const report = await drain(db)
      expect(report).toMatchObject({ outcome: 'done', uploaded: 0, failed: 3 })
      expect(server.pushes).toEqual([3])
      const left = await listOutbox(db)
      expect(left.map((e) => [e.status, e.code, e.reason])).toEqual(
        left.map(() => ['failed', refusal.body.error, refusal.body.message]),
      )
    }
  })
})
