import { DAYS_AHEAD, DAYS_BACK } from '../../protocol/window'
import { TopBar } from '../components/TopBar'
import { useLiveQuery } from '../data/live'
import { jobDetail } from '../data/queries'
import { cameFrom } from '../data/router'
import { activeDb } from '../data/session'
import { AppointmentsCard } from './job/AppointmentsCard'
import { AttachmentsCard } from './job/AttachmentsCard'
import { CustomerCard } from './job/CustomerCard'
import { DocumentsCard } from './job/DocumentsCard'
import { FormCard } from './job/FormCard'
import { JobHeader } from './job/JobHeader'
import { NotesCard } from './job/NotesCard'
import { SignaturesCard } from './job/SignaturesCard'
import './JobScreen.css'

/** Everything about one job, from the device: readable and editable with no signal. */
export function JobScreen({ id }: { id: string }) {
  const db = activeDb()
  const detail = useLiveQuery(async () => (db ? jobDetail(db, id) : null), [db, id])
  const d = detail.value
  if (d === undefined) return <TopBar title="Job" back={cameFrom.value.href} />
  if (d === null) {
    return (
      <>
        <TopBar title="Job" back={cameFrom.value.href} />
        <p class="empty" data-testid="job-missing">
          This job is not on this device. It may have been reassigned, or its visits are more than
          {` ${DAYS_BACK} days back or ${DAYS_AHEAD} ahead.`}
        </p>
      </>
    )
  }
  return (
    <>
      <TopBar title={`Job #${d.job.number}`} back={cameFrom.value.href} />
      <div class="job-grid">
        <div>
          <JobHeader d={d} />
          {d.customer && <CustomerCard customer={d.customer} jobAddress={d.job.address} />}
          <AppointmentsCard jobId={d.job.id} appointments={d.appointments} />
          {d.form && <FormCard key={d.form.id} form={d.form} />}
        </div>
        <div>
          <NotesCard jobId={d.job.id} />
          <AttachmentsCard jobId={d.job.id} attachments={d.attachments} filesHere={d.filesHere} />
          <DocumentsCard d={d} />
          <SignaturesCard d={d} />
        </div>
      </div>
    </>
  )
}
