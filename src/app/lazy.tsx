import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'

/**
 * A screen whose code loads on first use, so the first screen (Today) downloads and parses
 * less. The chunks are precached by the service worker like the rest, so this works offline.
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined
  let pending: Promise<ComponentType<P>> | undefined
  return function Lazy(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | undefined>(() => loaded)
    useEffect(() => {
      if (Screen) return
      pending ??= load().then((c) => (loaded = c))
      void pending.then((c) => setScreen(() => c))
    }, [Screen])
    return Screen ? <Screen {...props} /> : null
  }
}
