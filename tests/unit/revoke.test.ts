import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  addPendingRevocation,
  pendingRevocations,
  removePendingRevocation,
} from '../../offline/account'
import { flushRevocations } from '../../offline/revoke'

/**
 * The device's pending revocations (sessions signed out of while offline): kept until the
 * server has answered, sent in order, dropped on ok or on a refusal that cannot change.
 */

type Answer = { status: number; body?: unknown } | 'offline'
let answers: Answer[]
let sent: Array<{ url: string; body: unknown }>

beforeEach(async () => {
  for (const token of await pendingRevocations()) await removePendingRevocation(token)
  answers = []
  sent = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, body: JSON.parse(String(init.body)) })
    const next = answers.shift() ?? { status: 200, body: { ok: true } }
    if (next === 'offline') throw new TypeError('Failed to fetch')
    return new Response(JSON.stringify(next.body ?? {}), { status: next.status })
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
})

describe('flushRevocations', () => {
  it('keeps every token while the server cannot be reached', async () => {
    await addPendingRevocation('first')
    await addPendingRevocation('second')
    answers = ['offline']
    expect(await flushRevocations()).toBe(false)
    expect((await pendingRevocations()).sort()).toEqual(['first', 'second'])
    expect(sent).toHaveLength(1)
  })

  it('sends each to /api/auth/revoke and forgets it once answered', async () => {
    await addPendingRevocation('first')
    await addPendingRevocation('second')
    expect(await flushRevocations()).toBe(true)
    expect(await pendingRevocations()).toEqual([])
    expect(sent.map((s) => s.url)).toEqual(['/api/auth/revoke', '/api/auth/revoke'])
    expect(
      sent.map((s) => s.body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    ).toEqual([{ token: 'first' }, { token: 'second' }])
  })

  it('drops a token the server refuses (4xx), keeps one it failed on (5xx)', async () => {
    await addPendingRevocation('a')
    await addPendingRevocation('b')
    answers = [
      { status: 400, body: { error: 'invalid_request', message: 'token must not be empty' } },
      { status: 503, body: { error: 'internal', message: 'Down.' } },
    ]
    expect(await flushRevocations()).toBe(false)
    expect(await pendingRevocations()).toHaveLength(1)
    expect(await flushRevocations()).toBe(true)
    expect(await pendingRevocations()).toEqual([])
  })

  it('runs once at a time: two triggers at once send each token once', async () => {
    await addPendingRevocation('once')
    await Promise.all([flushRevocations(), flushRevocations()])
    expect(sent).toHaveLength(1)
  })
})
