import { type ReadonlySignal, signal, useSignal } from '@preact/signals'
import { useEffect } from 'preact/hooks'
import { liveQuery } from '../../offline/localDb'

/**
 * A signal that follows an IndexedDB query: it updates whenever a transaction (in this tab,
 * another tab, or the service worker) changes what the query read.
 */
export function useLiveQuery<T>(
  query: () => Promise<T>,
  deps: unknown[],
): ReadonlySignal<T | undefined> {
  const value = useSignal<T | undefined>(undefined)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists the query's inputs
  useEffect(() => {
    value.value = undefined
    const sub = liveQuery(query).subscribe({
      next: (v) => {
        value.value = v
      },
      error: (err) => console.error('live query failed', err),
    })
    return () => sub.unsubscribe()
  }, deps)
  return value
}

/** The same for app-wide signals: `follow` swaps the query (e.g. when the user changes). */
export function liveSignal<T>(initial: T) {
  const value = signal<T>(initial)
  let sub: { unsubscribe(): void } | undefined
  return {
    value: value as ReadonlySignal<T>,
    follow(query: (() => Promise<T>) | undefined) {
      sub?.unsubscribe()
      sub = undefined
      value.value = initial
      if (!query) return
      sub = liveQuery(query).subscribe({
        next: (v) => {
          value.value = v
        },
        error: (err) => console.error('live query failed', err),
      })
    },
  }
}
