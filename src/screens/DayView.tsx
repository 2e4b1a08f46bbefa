import { lazy } from '../app/lazy'
import { Icon } from '../components/Icon'
import { PreloadPanel } from '../components/PreloadPanel'
import { TopBar } from '../components/TopBar'
import { VisitCard } from '../components/VisitCard'
import { installAdvice } from '../data/install'
import { useLiveQuery } from '../data/live'
import { conflictSeqOf, pendingStatus } from '../data/outboxState'
import { visitsOn } from '../data/queries'
import { addDays, href, localDate } from '../data/router'
import { activeDb } from '../data/session'
import { lastPullAt } from '../data/sync'
import { formatDay, formatTime, STATUS_WORDS } from '../format'
import './DayView.css'

// Loaded only where there is something to say (mobile Safari, or Chromium offering Install).
const InstallCard = lazy(() => import('../components/InstallCard').then((m) => m.InstallCard))

/** Today (or the day in view): the technician's appointments, in time order. */
export function DayView({ date: asked }: { date: string | undefined }) {
  const today = localDate(new Date())
  const date = asked || today
  const db = activeDb()
  const visits = useLiveQuery(async () => (db ? visitsOn(db, date) : []), [db, date])
  const title =
    date === today
      ? 'Today'
      : date === addDays(today, 1)
        ? 'Tomorrow'
        : date === addDays(today, -1)
          ? 'Yesterday'
          : formatDay(date)

  return (
    <>
      <TopBar title={title} />
      <nav class="day-nav" aria-label="Day">
        <a
          class="icon-button"
          href={href({ name: 'day', date: addDays(date, -1) })}
          aria-label="Previous day"
        >
          <Icon name="back" />
        </a>
        <span class="day-label" data-testid="day-label">
          {formatDay(date)}
        </span>
        {date !== today && (
          <a class="button small" href={href({ name: 'day', date: today })}>
            Today
          </a>
        )}
        <a
          class="icon-button"
          href={href({ name: 'day', date: addDays(date, 1) })}
          aria-label="Next day"
        >
          <Icon name="next" />
        </a>
      </nav>
      <PreloadPanel compact />
      {installAdvice.value && <InstallCard place="today" />}
      {visits.value === undefined ? null : visits.value.length === 0 ? (
        <p class="empty">
          {lastPullAt.value ? 'No appointments on this day.' : 'Loading your jobs…'}
        </p>
      ) : (
        <ul class="list" data-testid="appointments">
          {visits.value.map(({ appointment, job, customer }) => {
            const status =
              pendingStatus(appointment.id) ?? (job ? pendingStatus(job.id) : undefined)
            return (
              <li key={appointment.id}>
                <VisitCard
                  href={job ? href({ name: 'job', id: job.id }) : undefined}
                  when={[formatTime(appointment.startsAt), formatTime(appointment.endsAt)]}
                  title={job ? job.title : 'Job not on this device'}
                  status={status}
                  testId="visit"
                >
                  <span>{customer?.name}</span>
                  <span class="muted">{job?.address}</span>
                  <span class="muted small">
                    {job && `Job #${job.number} · `}
                    {STATUS_WORDS[appointment.status]}
                  </span>
                </VisitCard>
                {status === 'conflict' && job && (
                  // A link of its own, not inside the card's: straight to the choice.
                  <a
                    class="visit-conflict"
                    href={href({ name: 'actions', focus: conflictSeqOf(job.id) })}
                  >
                    Conflict on Job #{job.number}: choose what to keep
                  </a>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </>
  )
}
