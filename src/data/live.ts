import { computed, type ReadonlySignal, signal, useSignal } from '@preact/signals'
import { useEffect, useMemo } from 'preact/hooks'
import { liveQuery } from '../../offline/localDb'

/** Whether two dependency lists name the same query (compared as Preact compares hook deps). */
function sameDeps(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
}

/**
 * A signal that follows an IndexedDB query: it updates whenever a transaction (in this tab,
 * another tab, or the service worker) changes what the query read.
 *
 * Each answer is kept with the deps it was read for, and the signal reads `undefined` until an
 * answer for the current deps arrives. Why: the query restarts in an effect, after the render in
 * which the deps changed; without the tag, a screen that moves in place from one id to another
 * (job to job, estimate to estimate) drew the previous id's data for that frame, and anything
 * typed into it landed in a form about to be replaced.
 */
export function useLiveQuery<T>(
  query: () => Promise<T>,
  deps: unknown[],
): ReadonlySignal<T | undefined> {
  const answer = useSignal<{ deps: unknown[]; value: T } | undefined>(undefined)
  useEffect(() => {
    const sub = liveQuery(query).subscribe({
      next: (value) => {
        answer.value = { deps, value }
      },
      error: (err) => console.error('live query failed', err),
    })
    return () => sub.unsubscribe()
  }, deps)
  return useMemo(
    () =>
      computed(() => {
        const a = answer.value
        return a && sameDeps(a.deps, deps) ? a.value : undefined
      }),
    deps,
  )
}

/** The same for app-wide signals: `follow` swaps the query (e.g. when the user changes). */
export function liveSignal<T>(initial: T) {
  const value = signal<T>(initial)
  // False from a swap until the new query's first answer: `initial` meanwhile is a placeholder,
  // not the data (an empty queue that is not empty).
  const loaded = signal(false)
  let sub: { unsubscribe(): void } | undefined
  return {
    value: value as ReadonlySignal<T>,
    loaded: loaded as ReadonlySignal<boolean>,
    follow(query: (() => Promise<T>) | undefined) {
      sub?.unsubscribe()
      sub = undefined
      value.value = initial
      loaded.value = false
      if (!query) return
      sub = liveQuery(query).subscribe({
        next: (v) => {
          value.value = v
          loaded.value = true
        },
        error: (err) => console.error('live query failed', err),
      })
    },
  }
}
