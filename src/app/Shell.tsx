import { BottomNav } from '../components/BottomNav'
import { OfflineAlert } from '../components/OfflineAlert'
import { SyncBar } from '../components/SyncBar'
import { Toasts } from '../components/Toasts'
import { route } from '../data/router'
import { DayView } from '../screens/DayView'
import { DocumentScreen } from '../screens/DocumentScreen'
import { JobScreen } from '../screens/JobScreen'
import { JobsList } from '../screens/JobsList'
import { OfflineActions } from '../screens/OfflineActions'
import { OfflineSettings } from '../screens/OfflineSettings'
import { Settings } from '../screens/Settings'

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
