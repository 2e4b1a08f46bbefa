import { currentUser } from '../offline/account'
import { localDbFor } from '../offline/localDb'
import { OUTBOX_SYNC_TAG, type SwToPage } from '../offline/messages'
import { drain } from '../offline/syncEngine'

declare const self: ServiceWorkerGlobalScope

/** The Background Sync API's event (Chromium only; Safari never fires it). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string
  readonly lastChance: boolean
}

/**
 * Chrome wakes the worker with `sync` when the connection returns, even with no tab open.
 * Rejecting the event's promise asks the browser to try again later (with its own backoff);
 * the page's triggers cover the rest, and Safari, which has no Background Sync at all.
 */
export function onSync(event: Event): void {
  const e = event as SyncEvent
  if (e.tag !== OUTBOX_SYNC_TAG) return
  e.waitUntil(uploadQueue())
}

async function uploadQueue(): Promise<void> {
  const user = await currentUser()
  if (!user) return
  const report = await drain(localDbFor(user.id), {
    onProgress: (progress) => broadcast({ type: 'SYNC_PROGRESS', progress }),
  })
  broadcast({ type: 'SYNC_DONE', report })
  // Retrying cannot help when the session is gone or this version is refused (426): the page
  // says so, and the updated app uploads.
  if (
    report.outcome !== 'done' &&
    report.outcome !== 'unauthenticated' &&
    report.outcome !== 'update_required'
  ) {
    throw new Error(`upload stopped: ${report.outcome}`)
  }
}

async function broadcast(message: SwToPage): Promise<void> {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message)
}
