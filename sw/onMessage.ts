import { API_CACHE, type PageToSw } from '../offline/messages'

declare const self: ServiceWorkerGlobalScope

export function onMessage(event: ExtendableMessageEvent): void {
  const message = event.data as PageToSw
  switch (message?.type) {
    case 'SKIP_WAITING':
      void self.skipWaiting()
      break
    case 'CLEAR_API_CACHE':
      event.waitUntil(caches.delete(API_CACHE))
      break
  }
}
