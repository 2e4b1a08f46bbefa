import { render } from 'preact'
import { App } from './app/App'
import { startConnectionMonitor } from './data/connection'
import { restoreSession, startRevocationTriggers } from './data/session'
import { registerServiceWorker } from './data/swBridge'
import { onSwMessage, startSyncTriggers } from './data/sync'
import './styles.css'

registerServiceWorker(onSwMessage)
startConnectionMonitor()
startRevocationTriggers()
render(<App />, document.getElementById('app') as HTMLElement)
void restoreSession().then(startSyncTriggers)
