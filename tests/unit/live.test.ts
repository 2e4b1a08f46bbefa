// @vitest-environment happy-dom
import 'fake-indexeddb/auto'
import { h, render } from 'preact'
import { describe, expect, it, vi } from 'vitest'
import { useLiveQuery } from '../../src/data/live'

describe('useLiveQuery', () => {
  it('never draws an answer read for other deps (moving in place from one id to another)', async () => {
    const drawn: string[] = []
    function Screen({ id }: { id: string }) {
      const v = useLiveQuery(async () => `detail of ${id}`, [id])
      drawn.push(`${id}: ${v.value ?? 'loading'}`)
      return h('p', null, v.value ?? 'loading')
    }
    const root = document.createElement('div')
    render(h(Screen, { id: 'a' }), root)
    // Waited for, not timed: on a loaded machine the query's answer can take a while.
    await vi.waitFor(() => expect(root.textContent).toBe('detail of a'))
    drawn.length = 0
    render(h(Screen, { id: 'b' }), root)
    await vi.waitFor(() => expect(root.textContent).toBe('detail of b'))
    // Every frame drawn for b shows b's answer or nothing yet, never a's.
    expect(drawn.filter((d) => d.startsWith('b:') && d.includes('of a'))).toEqual([])
    expect(drawn.at(-1)).toBe('b: detail of b')
    render(null, root)
  })

  it('keeps its answer across renders whose deps did not change', async () => {
    let renders = 0
    function Screen({ id, n }: { id: string; n: number }) {
      const v = useLiveQuery(async () => `detail of ${id}`, [id])
      renders++
      return h('p', null, `${n} ${v.value ?? 'loading'}`)
    }
    const root = document.createElement('div')
    render(h(Screen, { id: 'a', n: 1 }), root)
    await vi.waitFor(() => expect(root.textContent).toBe('1 detail of a'))
    render(h(Screen, { id: 'a', n: 2 }), root)
    expect(root.textContent).toBe('2 detail of a')
    expect(renders).toBeGreaterThan(2)
    render(null, root)
  })
})
