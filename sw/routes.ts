import type { PrecacheEntry } from 'workbox-precaching'
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { API_CACHE } from '../offline/messages'

declare const self: ServiceWorkerGlobalScope

/**
 * The app shell is precached, so the app starts in airplane mode; every navigation gets the
 * cached index.html.
 *
 * API answers are never cached by the worker. They are all one user's (the session cookie picks
 * whose), the cache would be keyed by URL only, so a cached `/api/auth/me` or
 * `/api/attachments/:id/file` could be answered to the next person on the same phone — and the
 * screens do not need it: they read the user's own local database. Earlier versions kept a
 * network-first fallback cache (`fieldline-api`); it is deleted when this worker activates.
 *
 * No route matches an API request, so the worker does not answer them at all: the browser sends
 * them itself. That is what keeps the live-changes stream (`/api/sync/events`) a stream: a
 * handler that awaited a whole answer would hold it forever.
 */
export function registerRoutes(manifest: Array<PrecacheEntry | string>): void {
  precacheAndRoute(manifest)
  cleanupOutdatedCaches()
  registerRoute(
    new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }),
  )
  self.addEventListener('activate', (event) => {
    event.waitUntil(caches.delete(API_CACHE))
  })
}
