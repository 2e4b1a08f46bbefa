import { describe, expect, it } from 'vitest'
import { PushGate } from '../../server/sync/pushGate'

describe('push gate', () => {
  it('lets `limit` in at once, the rest in arrival order, and refuses past its queue', async () => {
    const gate = new PushGate(2, 3)
    const inside = new Set<number>()
    let most = 0
    const order: number[] = []
    const releases: Array<() => void> = []
    const enter = (n: number) =>
      gate.run(async () => {
        inside.add(n)
        most = Math.max(most, inside.size)
        order.push(n)
        await new Promise<void>((r) => releases.push(r))
        inside.delete(n)
        return n
      })
    const runs = [1, 2, 3, 4, 5].map(enter)
    await expect(enter(6)).rejects.toMatchObject({ statusCode: 503, code: 'busy' })
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 5))
      releases.shift()?.()
    }
    expect(await Promise.all(runs)).toEqual([1, 2, 3, 4, 5])
    expect(order).toEqual([1, 2, 3, 4, 5])
    expect(most).toBe(2)
    // Slots come back after failures too.
    await expect(gate.run(async () => Promise.reject(new Error('x')))).rejects.toThrow('x')
    expect(await gate.run(async () => 'free')).toBe('free')
  })
})
