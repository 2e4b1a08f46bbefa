// First: the shared styles, so each component's own CSS (imported with it) comes after them.
import './styles/base.css'
import { render } from 'preact'
import { App } from './app/App'
import { startConnectionMonitor } from './data/connection'
import { startInstallWatch } from './data/install'
import { startLiveEvents } from './data/liveEvents'
import { startQueueNews } from './data/queueNews'
import { restoreSession, startRevocationTriggers, user } from './data/session'
import { registerServiceWorker, startPeriodicRefresh } from './data/swBridge'
import { onSwMessage, startSyncTriggers } from './data/sync'
import { startUpdateWatch, whenTakenOver } from './data/update'

registerServiceWorker(onSwMessage, whenTakenOver)
startConnectionMonitor()
startRevocationTriggers()
startInstallWatch()
startUpdateWatch()
render(<App />, document.getElementById('app') as HTMLElement)
void restoreSession().then(() => {
  startSyncTriggers()
  startQueueNews()
  startLiveEvents()
  startPeriodicRefresh(() => Boolean(user.value))
})
