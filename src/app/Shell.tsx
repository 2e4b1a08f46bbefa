import { BottomNav } from '../components/BottomNav'
import { OfflineAlert } from '../components/OfflineAlert'
import { PullToRefresh } from '../components/PullToRefresh'
import { SyncBar } from '../components/SyncBar'
import { Toasts } from '../components/Toasts'
import { route } from '../data/router'
import { DayView } from '../screens/DayView'
import { lazy } from './lazy'

// Today is the first screen and loads with the app; the others load on first use.
const JobScreen = lazy(() => import('../screens/JobScreen').then((m) => m.JobScreen))
const JobsList = lazy(() => import('../screens/JobsList').then((m) => m.JobsList))
const DocumentScreen = lazy(() => import('../screens/DocumentScreen').then((m) => m.DocumentScreen))
const Settings = lazy(() => import('../screens/Settings').then((m) => m.Settings))
const OfflineSettings = lazy(() =>
  import('../screens/OfflineSettings').then((m) => m.OfflineSettings),
)
const OfflineActions = lazy(() => import('../screens/OfflineActions').then((m) => m.OfflineActions))

function Screen() {
  const r = route.value
  switch (r.name) {
    case 'job':
      return <JobScreen id={r.id} />
    case 'jobs':
      return <JobsList />
    case 'settings':
      return <Settings />
    case 'actions':
      return <OfflineActions />
    case 'offline-settings':
      return <OfflineSettings />
    case 'doc':
      return <DocumentScreen jobId={r.jobId} kind={r.kind} docId={r.docId} />
    case 'day':
      return <DayView date={r.date} />
    default:
      return <DayView date={undefined} />
  }
}

export function Shell() {
  return (
    <div class="shell">
      <PullToRefresh />
      <OfflineAlert />
      <SyncBar />
      <main class="content">
        <Screen />
      </main>
      <Toasts />
      <BottomNav />
    </div>
  )
}
