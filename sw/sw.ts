/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core'
import { onMessage } from './onMessage'
import { onPeriodicSync } from './onPeriodicSync'
import { onSync } from './onSync'
import { registerRoutes } from './routes'

declare const self: ServiceWorkerGlobalScope

// The entry only wires events; what they do lives in the modules beside it.
registerRoutes(self.__WB_MANIFEST)
clientsClaim()
self.addEventListener('message', onMessage)
self.addEventListener('sync', onSync)
self.addEventListener('periodicsync', onPeriodicSync)
