import type { LocalDb } from '../localDb'

/** "Job #1042 — Replace water heater", the way technicians name a job. */
export async function jobLabel(db: LocalDb, jobId: string): Promise<string> {
  const job = await db.jobs.get(jobId)
  return job ? `Job #${job.number} — ${job.title}` : 'a job'
}
