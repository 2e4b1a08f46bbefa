import type { Estimate, Invoice, Job } from '../../protocol/entities'
import { formatCents } from '../../protocol/money'
import type { LocalDb } from '../localDb'

/** "Job #1042 — Replace water heater", the way technicians name a job. */
export async function jobLabel(db: LocalDb, jobId: string): Promise<string> {
  return nameJob(await db.jobs.get(jobId))
}

export const nameJob = (job: Job | undefined) =>
  job ? `Job #${job.number} — ${job.title}` : 'a job'

export const nameDoc = (kind: 'Estimate' | 'Invoice', doc: Estimate | Invoice | undefined) =>
  doc ? `${kind} ${doc.number}` : `an ${kind.toLowerCase()}`

export const money = formatCents
