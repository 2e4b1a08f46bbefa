// @vitest-environment happy-dom
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

const syncNow = vi.fn(async (_opts?: { pull?: boolean }) => {})
vi.mock('../../src/data/sync', () => ({ syncNow }))

/** A stand-in EventSource: the test opens, signals and breaks it. */
class FakeEventSource extends EventTarget {
  static all: FakeEventSource[] = []
  closed = false
  constructor(readonly url: string) {
    super()
    FakeEventSource.all.push(this)
  }
  close() {
    this.closed = true
  }
  fire(type: 'open' | 'changed' | 'error') {
    this.dispatchEvent(new Event(type))
  }
}
const open = () => FakeEventSource.all.filter((s) => !s.closed)
const last = () => FakeEventSource.all.at(-1) as FakeEventSource

describe('live changes on the device', () => {
  let connection: typeof import('../../src/data/connection').connection
  let user: typeof import('../../src/data/session').user

  beforeAll(async () => {
    vi.useFakeTimers()
    vi.stubGlobal('EventSource', FakeEventSource)
    ;({ connection } = await import('../../src/data/connection'))
    ;({ user } = await import('../../src/data/session'))
    const { startLiveEvents } = await import('../../src/data/liveEvents')
    connection.value = 'online'
    startLiveEvents()
  })
  afterAll(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('opens nothing until someone is signed in, then one stream that pulls when open and on "changed"', async () => {
    expect(FakeEventSource.all).toHaveLength(0)
    user.value = { id: 'u1', email: 'a@b.c', name: 'A', role: 'technician' }
    await vi.advanceTimersByTimeAsync(0)
    expect(open()).toHaveLength(1)
    expect(last().url).toBe('/api/sync/events')
    expect(syncNow).not.toHaveBeenCalled()
    // Open: one pull covers what changed between the last pull and the subscription.
    last().fire('open')
    expect(syncNow).toHaveBeenCalledTimes(1)
    last().fire('changed')
    expect(syncNow).toHaveBeenCalledWith({ pull: true })
    expect(syncNow).toHaveBeenCalledTimes(2)
  })

  it('closes it offline and opens nothing while offline; opens it again when back', async () => {
    connection.value = 'offline'
    await vi.advanceTimersByTimeAsync(0)
    expect(open()).toHaveLength(0)
    const count = FakeEventSource.all.length
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(FakeEventSource.all).toHaveLength(count)
    connection.value = 'online'
    await vi.advanceTimersByTimeAsync(0)
    expect(open()).toHaveLength(1)
    last().fire('open')
  })

  it('when it fails: pulls on a 5-minute timer and reopens it after a wait, then one catch-up pull', async () => {
    syncNow.mockClear()
    last().fire('error')
    expect(open()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(4_999)
    expect(open()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(open()).toHaveLength(1)
    last().fire('error') // still down: the next wait is longer (15 s)
    await vi.advanceTimersByTimeAsync(14_999)
    expect(open()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(5 * 60_000)
    // Reopened after 15 s; not open yet, so the fallback timer pulled at 5 minutes.
    expect(open()).toHaveLength(1)
    expect(syncNow).toHaveBeenCalledTimes(1)
    last().fire('open')
    expect(syncNow).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(syncNow).toHaveBeenCalledTimes(2)
  })

  it('closes it when the user signs out', async () => {
    user.value = null
    await vi.advanceTimersByTimeAsync(0)
    expect(open()).toHaveLength(0)
  })
})
