import { PendingBadge } from '../components/PendingBadge'
import { TopBar } from '../components/TopBar'
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
              <a
                class={`card visit${pendingStatus(job.id) ? ' pending' : ''}`}
                href={href({ name: 'job', id: job.id })}
              >
                <div class="visit-time">
                  <strong>{formatShortDay(appointment.startsAt)}</strong>
                  <span>{formatTime(appointment.startsAt)}</span>
                </div>
                <div class="visit-body">
                  <div class="visit-title">
                    {job.title} <PendingBadge status={pendingStatus(job.id)} />
                  </div>
                  <div>{customer?.name}</div>
                  <div class="muted small">
                    Job #{job.number} · {STATUS_WORDS[job.status]}
                  </div>
                </div>
              </a>
            </li>
          ) : null,
        )}
      </ul>
    </>
  )
}
