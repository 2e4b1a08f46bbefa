import { ExpirationPlugin } from 'workbox-expiration'
import type { PrecacheEntry } from 'workbox-precaching'
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
} from 'workbox-precaching'
import { NavigationRoute, registerRoute } from 'workbox-routing'
import { NetworkFirst } from 'workbox-strategies'
import { API_CACHE } from '../offline/messages'

/** Requests that must always reach the network: the probe, sync, and sign-in/out. */
const NEVER_CACHED = ['/api/health', '/api/sync/', '/api/auth/signin', '/api/auth/signout']

/**
 * The app shell is precached, so the app starts in airplane mode; every navigation gets the
 * cached index.html. The screens read the local database, not the network, so API answers are
 * cached only as a fallback (network first, 4 s budget) and are cleared at sign-out.
 */
export function registerRoutes(manifest: Array<PrecacheEntry | string>): void {
  precacheAndRoute(manifest)
  cleanupOutdatedCaches()
  registerRoute(
    new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/^\/api\//] }),
  )
  registerRoute(
    ({ url, request, sameOrigin }) =>
      sameOrigin &&
      request.method === 'GET' &&
      url.pathname.startsWith('/api/') &&
      !NEVER_CACHED.some((p) => url.pathname.startsWith(p)),
    new NetworkFirst({
      cacheName: API_CACHE,
      networkTimeoutSeconds: 4,
      plugins: [new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 7 * 86_400 })],
    }),
  )
}
