import { TopBar } from '../components/TopBar'
import { VisitCard } from '../components/VisitCard'
import { useLiveQuery } from '../data/live'
import { pendingStatus } from '../data/outboxState'
import { jobsWithNextVisit } from '../data/queries'
import { href } from '../data/router'
import { activeDb } from '../data/session'
import { formatShortDay, formatTime, STATUS_WORDS } from '../format'

/** Every job on the device, upcoming first, then the recent past. */
export function JobsList() {
  const db = activeDb()
  const visits = useLiveQuery(async () => (db ? jobsWithNextVisit(db, new Date()) : []), [db])
  return (
    <>
      <TopBar title="Jobs" />
      {visits.value?.length === 0 && <p class="empty">No jobs on this device yet.</p>}
      <ul class="list">
        {visits.value?.map(({ appointment, job, customer }) =>
          job ? (
            <li key={job.id}>
              <VisitCard
                href={href({ name: 'job', id: job.id })}
                when={[formatShortDay(appointment.startsAt), formatTime(appointment.startsAt)]}
                title={job.title}
                status={pendingStatus(job.id)}
                testId="job-card"
              >
                <span>{customer?.name}</span>
                <span class="muted small">
                  Job #{job.number} · {STATUS_WORDS[job.status]}
                </span>
              </VisitCard>
            </li>
          ) : null,
        )}
      </ul>
    </>
  )
}
