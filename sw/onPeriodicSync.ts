import { currentUser } from '../offline/account'
import { localDbFor } from '../offline/localDb'
import { PERIODIC_REFRESH_TAG, type SwToPage } from '../offline/messages'
import { preload } from '../offline/preload'
import { drain } from '../offline/syncEngine'

declare const self: ServiceWorkerGlobalScope

/** The Periodic Background Sync API's event (Chromium, installed apps only). */
interface PeriodicSyncEvent extends ExtendableEvent {
  readonly tag: string
}

/**
 * Chrome wakes the worker now and then (at most every ~12 h, when the app is installed and used,
 * on a connection it likes) so the day's work is on the phone before the technician opens it.
 * No page needs to be open. Elsewhere the page pulls at start and when it becomes visible.
 */
export function onPeriodicSync(event: Event): void {
  const e = event as PeriodicSyncEvent
  if (e.tag !== PERIODIC_REFRESH_TAG) return
  e.waitUntil(refresh())
}

/**
 * What the page's Refresh does, minus the full photos (a background wake-up has a short time
 * budget; thumbnails come with the records): upload anything queued first, so the pull lays the
 * server's state under nothing stale, then pull. Both take the user's Web Lock, so an open tab
 * doing the same waits its turn. A failure is left for the next wake-up or the page's triggers.
 */
async function refresh(): Promise<void> {
  const user = await currentUser()
  if (!user) return
  const db = localDbFor(user.id)
  const upload = await drain(db, {
    onProgress: (progress) => broadcast({ type: 'SYNC_PROGRESS', progress }),
  })
  broadcast({ type: 'SYNC_DONE', report: upload })
  if (upload.outcome !== 'done') return
  await preload(db, user, { fullFiles: false })
}

async function broadcast(message: SwToPage): Promise<void> {
  for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage(message)
}
