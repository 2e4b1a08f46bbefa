import { Queue } from 'workbox-background-sync'

/**
 * The replay baseline: the same notes as the app's replay, but each one its own POST to the
 * real push endpoint (a one-mutation batch, the session cookie riding along), queued by
 * workbox-background-sync's `Queue` while offline and replayed by it when Chromium fires the
 * queue's `sync` event on reconnect (one request at a time, oldest first). Registered by the
 * bench with scope /bench-baseline/, so it never touches the app's own service worker.
 */

interface NoteMutation {
  id: string
  seq: number
  name: 'note.add'
  args: { id: string; jobId: string; body: string; createdAt: string }
  at: string
}

interface EnqueueMessage {
  type: 'enqueue'
  deviceId: string
  mutations: NoteMutation[]
}

interface MessagePort {
  postMessage(message: unknown): void
}

/** The few parts of the worker's global scope this file uses (tests' tsconfig has DOM types). */
interface WorkerScope {
  addEventListener(
    type: 'message',
    fn: (e: { data: EnqueueMessage | { type: 'replay' }; ports: MessagePort[] }) => void,
  ): void
  addEventListener(
    type: 'install' | 'activate',
    fn: (e: { waitUntil(p: unknown): void }) => void,
  ): void
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
}

const scope = globalThis as unknown as WorkerScope
const queue = new Queue('fieldline-bench-baseline')

scope.addEventListener('install', (e) => e.waitUntil(scope.skipWaiting()))
scope.addEventListener('activate', (e) => e.waitUntil(scope.clients.claim()))

scope.addEventListener('message', (event) => {
  const port = event.ports[0]
  const data = event.data
  const work =
    data.type === 'enqueue'
      ? enqueue(data)
      : // Only used if the sync event never comes (it should, 10–20 ms after reconnect).
        queue.replayRequests().then(() => 0)
  work.then(
    (n) => port?.postMessage({ ok: true, queued: n }),
    (err: unknown) => port?.postMessage({ ok: false, error: String(err) }),
  )
})

async function enqueue(message: EnqueueMessage): Promise<number> {
  for (const m of message.mutations) {
    const request = new Request('/api/sync/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: message.deviceId, mutations: [m] }),
      credentials: 'same-origin',
    })
    await queue.pushRequest({ request })
  }
  return message.mutations.length
}
