import { signal } from '@preact/signals'
import { TopBar } from '../components/TopBar'
import { VisitCard } from '../components/VisitCard'
import { useLiveQuery } from '../data/live'
import { pendingStatus } from '../data/outboxState'
import { jobsWithNextVisit, type Visit } from '../data/queries'
import { href } from '../data/router'
import { activeDb } from '../data/session'
import { formatShortDay, formatTime, STATUS_WORDS } from '../format'
import './JobsList.css'

/** The search typed on Jobs: kept while the app is open, so Back from a job finds it again. */
const query = signal('')

/** Lower case without accents, so "jose" finds "José". */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase()

/** Whether a visit's job answers the search: title, customer, address or number (with or without #). */
function matches(v: Visit, words: string[]): boolean {
  const job = v.job
  if (!job) return false
  const text = fold(`${job.title} ${v.customer?.name ?? ''} ${job.address} #${job.number}`)
  return words.every((w) => text.includes(w))
}

/**
 * Every job on the device, upcoming first, then the recent past, under headings of their own
 * and with a search: a busy month is a hundred jobs, and a list of a hundred links with nothing
 * to jump by was a long walk with a screen reader (and a long scroll with a thumb).
 */
export function JobsList() {
  const db = activeDb()
  const visits = useLiveQuery(async () => (db ? jobsWithNextVisit(db, new Date()) : []), [db])
  const all = (visits.value ?? []).filter((v) => v.job)
  const words = fold(query.value).split(/\s+/).filter(Boolean)
  const shown = words.length > 0 ? all.filter((v) => matches(v, words)) : all
  const nowIso = new Date().toISOString()
  const upcoming = shown.filter((v) => v.appointment.endsAt >= nowIso)
  const past = shown.filter((v) => v.appointment.endsAt < nowIso)
  return (
    <>
      <TopBar title="Jobs" />
      {visits.value?.length === 0 && <p class="empty">No jobs on this device yet.</p>}
      {all.length > 0 && (
        <search class="jobs-search">
          <label>
            Search jobs
            <input
              type="search"
              placeholder="Customer, address or job number"
              value={query.value}
              onInput={(e) => (query.value = (e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          <p class="muted small" role="status">
            {words.length > 0 &&
              (shown.length === 0
                ? 'No job on this device matches.'
                : `${shown.length} ${shown.length === 1 ? 'job' : 'jobs'} found.`)}
          </p>
        </search>
      )}
      <JobGroup title="Upcoming" visits={upcoming} />
      <JobGroup title="Earlier" visits={past} />
    </>
  )
}

function JobGroup({ title, visits }: { title: string; visits: Visit[] }) {
  if (visits.length === 0) return null
  return (
    <section aria-labelledby={`jobs-${title}`}>
      <h2 class="list-heading" id={`jobs-${title}`}>
        {title}
      </h2>
      <ul class="list">
        {visits.map(({ appointment, job, customer }) =>
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
                {/* Shown as on Today: the search finds addresses, and a match has to show why. */}
                <span class="muted">{job.address}</span>
                <span class="muted small">
                  Job #{job.number} · {STATUS_WORDS[job.status]}
                </span>
              </VisitCard>
            </li>
          ) : null,
        )}
      </ul>
    </section>
  )
}
