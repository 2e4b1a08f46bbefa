import { useEffect, useRef } from 'preact/hooks'
import { BottomNav } from '../components/BottomNav'
import { OfflineAlert } from '../components/OfflineAlert'
import { PullToRefresh } from '../components/PullToRefresh'
import { SyncBar } from '../components/SyncBar'
import { Toasts } from '../components/Toasts'
import { announce } from '../data/alerts'
import { route } from '../data/router'
import { DayView } from '../screens/DayView'
import { focusScreenHeading } from './focusHeading'
import { keepFocusOnScreen } from './focusRescue'
import { lazy } from './lazy'
import { useMeasuredHeight } from './useMeasuredHeight'
import './Shell.css'

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

/**
 * Moving to another screen moves focus to its heading; so does the first paint when asked
 * (right after signing in).
 */
function useFocusOnNavigation(focusFirst: boolean): void {
  const key = JSON.stringify(route.value)
  const first = useRef(true)
  const last = useRef(route.value.name)
  useEffect(() => {
    const from = last.current
    last.current = route.value.name
    if (first.current && !focusFirst) {
      first.current = false
      return
    }
    first.current = false
    // Previous day / Next day: the same screen, another date. Focus stays on the link pressed
    // (stepping through a week took five Tabs back to it for each day) and the new day is said.
    const active = document.activeElement
    if (from === 'day' && route.value.name === 'day' && active?.closest('.day-nav')) {
      requestAnimationFrame(() => {
        const day = document.querySelector('main h1')?.textContent
        if (day) announce(day)
        // The Today link leaves once today is shown: then the heading, as on any screen change.
        if (!active.isConnected) focusScreenHeading()
      })
      return
    }
    focusScreenHeading()
  }, [key])
}

export function Shell({ focusFirst = false }: { focusFirst?: boolean }) {
  const dock = useRef<HTMLDivElement>(null)
  useMeasuredHeight(dock, '--dock-height')
  useFocusOnNavigation(focusFirst)
  useEffect(keepFocusOnScreen, [])
  return (
    <div class="shell">
      {/* A button, not a link: with hash routes, "#main" would be read as a screen. */}
      <button type="button" class="skip-link" onClick={focusScreenHeading}>
        Skip to main content
      </button>
      <PullToRefresh />
      <OfflineAlert />
      <SyncBar />
      <main class="content" id="main">
        <Screen />
      </main>
      <div class="dock" ref={dock}>
        <Toasts />
        <BottomNav />
      </div>
    </div>
  )
}
