import { batch, signal } from '@preact/signals'
import { describe, expect, it, vi } from 'vitest'

// The queue's counts and the screen, as signals the test sets (the real ones read IndexedDB).
const counts = {
  pendingCount: signal(0),
  failedCount: signal(0),
  conflictCount: signal(0),
  outboxLoaded: signal(false),
}
const route = signal<{ name: string }>({ name: 'job' })
vi.mock('../../src/data/outboxState', () => counts)
vi.mock('../../src/data/router', () => ({ route }))

const { announcement } = await import('../../src/data/alerts')
const { startQueueNews } = await import('../../src/data/queueNews')

const said = () => announcement.value.text
const set = (pending: number, failed = 0, conflicts = 0) =>
  batch(() => {
    counts.pendingCount.value = pending
    counts.failedCount.value = failed
    counts.conflictCount.value = conflicts
  })

describe('the queue news said to screen readers', () => {
  it('takes what a reload finds as a baseline, then says conflicts, refusals and the queue emptying', () => {
    vi.useFakeTimers()
    startQueueNews()
    // A reload with a conflict already waiting: not news.
    set(2, 0, 1)
    counts.outboxLoaded.value = true
    expect(said()).toBe('')
    set(3, 0, 2)
    expect(said()).toMatch(/^The office changed something you changed too/)
    set(3, 1, 2)
    expect(said()).toBe('1 action could not upload: see Offline Actions.')
    // On Offline Actions its own region says it: nothing here.
    const n = announcement.value.n
    route.value = { name: 'actions' }
    set(3, 2, 2)
    expect(announcement.value.n).toBe(n)
    route.value = { name: 'job' }
    vi.advanceTimersByTime(5_000)
    set(0)
    expect(said()).toBe('All caught up: everything you saved is on the server.')
    // A save online that uploads at once: "Saved. Uploading now." said it; no "All caught up".
    const m = announcement.value.n
    set(1)
    vi.advanceTimersByTime(300)
    set(0)
    expect(announcement.value.n).toBe(m)
    // Another technician signs in: their queue is a new baseline.
    counts.outboxLoaded.value = false
    set(4, 0, 3)
    counts.outboxLoaded.value = true
    expect(announcement.value.n).toBe(m)
    vi.useRealTimers()
  })
})
