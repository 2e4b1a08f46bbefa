import { effect } from '@preact/signals'
import { connection } from './connection'
import { sessionExpired, user } from './session'
import { syncNow } from './sync'

/** While the stream is not open: pull this often anyway (the stream normally makes it moot). */
export const FALLBACK_PULL_MS = 5 * 60_000
/** Waits before opening the stream again after it failed, growing with each failure. */
const RETRY_MS = [5_000, 15_000, 60_000, 5 * 60_000]

let holding: AbortController | null = null
let holder = ''
let source: EventSource | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let fallbackTimer: ReturnType<typeof setInterval> | undefined
let failures = 0

/**
 * Live changes: while signed in, online and visible, the app holds `GET /api/sync/events` open and
 * pulls when the server says `changed` (syncNow folds that into a pull already running, so pulls
 * never overlap). One tab per user holds it (a Web Lock; the others wait their turn), because the
 * tabs share the user's database and every tab's screens follow it; it also keeps the browser's
 * six connections per server from filling up with streams.
 *
 * Offline or hidden, the stream is closed: it costs nothing then, and the page pulls anyway when
 * it is back or visible again (sync.ts). When the stream fails, the app pulls every 5 minutes
 * until it is back and reopens it itself with a growing wait. EventSource would retry a dropped
 * connection on its own at a fixed pace forever, and give up for good on a refusal (401, 429,
 * 503); one backoff of our own covers both and keeps a dead server's logs quiet. Once it is back,
 * one pull covers what was signalled while it was down (every open pulls once: subscribe, then
 * read, so nothing between the last pull and the subscription is missed).
 */
export function startLiveEvents(): void {
  if (typeof EventSource === 'undefined') return
  effect(() => {
    void user.value
    void connection.value
    void sessionExpired.value
    update()
  })
  document.addEventListener('visibilitychange', update)
}

function wanted(): boolean {
  return (
    Boolean(user.value) &&
    !sessionExpired.value &&
    connection.value !== 'offline' &&
    document.visibilityState === 'visible'
  )
}

function update(): void {
  const id = user.value?.id ?? ''
  // Another user signed in on this tab: their own stream, not the last one's.
  if (holding && (!wanted() || holder !== id)) end()
  if (!holding && wanted()) begin(id)
}

function begin(userId: string): void {
  const ctl = new AbortController()
  holding = ctl
  holder = userId
  const hold = () =>
    new Promise<void>((resolve) => {
      ctl.signal.addEventListener('abort', () => resolve())
      connect(ctl.signal)
    })
  if (!navigator.locks) {
    void hold()
    return
  }
  navigator.locks.request(`fieldline-live-${userId}`, { signal: ctl.signal }, hold).catch(() => {
    // Aborted while another tab held the stream: this one stopped wanting it.
  })
}

function end(): void {
  holding?.abort()
  holding = null
  source?.close()
  source = null
  clearTimeout(retryTimer)
  retryTimer = undefined
  setFallback(false)
}

function connect(stop: AbortSignal): void {
  if (stop.aborted) return
  const es = new EventSource('/api/sync/events')
  source = es
  setFallback(true)
  es.addEventListener('open', () => {
    // Pull on every open, not only after a failure: a change committed after the last pull but
    // before this stream subscribed on the server was signalled to nobody. The pull is a small
    // delta, and syncNow folds it behind a pull already running (the start's).
    void syncNow({ pull: true })
    failures = 0
    setFallback(false)
  })
  es.addEventListener('changed', () => void syncNow({ pull: true }))
  es.addEventListener('error', () => {
    es.close()
    if (source !== es || stop.aborted) return
    source = null
    failures++
    setFallback(true)
    const wait = RETRY_MS[Math.min(failures, RETRY_MS.length) - 1] ?? 60_000
    retryTimer = setTimeout(() => connect(stop), wait)
  })
}

function setFallback(on: boolean): void {
  if (on && !fallbackTimer) {
    fallbackTimer = setInterval(() => void syncNow({ pull: true }), FALLBACK_PULL_MS)
  } else if (!on && fallbackTimer) {
    clearInterval(fallbackTimer)
    fallbackTimer = undefined
  }
}
