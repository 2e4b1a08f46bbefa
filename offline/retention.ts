import { DAYS_BACK } from '../protocol/window'
import type { LocalDb } from './localDb'
import { listOutbox } from './outboxList'

const DAY_MS = 86_400_000

/**
 * Clears local data older than the window: a job whose every appointment ended more than
 * 30 days ago leaves the device with all it holds (notes, files, estimates, invoices ...),
 * unless an action still in the queue refers to it. Customers no remaining job needs go too.
 * Runs at start and after each pull. Returns how many jobs were cleared.
 */
export async function applyRetention(db: LocalDb, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - DAYS_BACK * DAY_MS).toISOString()
  // Most runs find nothing old: one index count instead of reading every job and appointment.
  // (A job left with no appointment at all is only cleared once something else ages out.)
  if ((await db.appointments.where('startsAt').below(cutoff).count()) === 0) return 0
  return db.transaction('rw', db.dataTables(), async () => {
    const keep = new Set<string>()
    for (const entry of await listOutbox(db)) {
      if (entry.jobId) keep.add(entry.jobId)
      for (const key of entry.entityKeys) keep.add(key.slice(key.indexOf(':') + 1))
    }
    const latestEnd = new Map<string, string>()
    await db.appointments.each((a) => {
      const seen = latestEnd.get(a.jobId)
      if (!seen || a.endsAt > seen) latestEnd.set(a.jobId, a.endsAt)
    })
    const old = (await db.jobs.toCollection().primaryKeys()).filter((id) => {
      const end = latestEnd.get(id)
      return !keep.has(id) && (end === undefined || end < cutoff)
    })
    if (old.length > 0) await removeJobs(db, old)
    // Past appointments of jobs that stay (a long job with a visit 40 days ago) go too.
    await db.appointments
      .where('startsAt')
      .below(cutoff)
      .filter((a) => a.endsAt < cutoff && !keep.has(a.id))
      .delete()
    const needed = new Set((await db.jobs.toArray()).map((j) => j.customerId))
    const customers = await db.customers.toCollection().primaryKeys()
    await db.customers.bulkDelete(customers.filter((id) => !needed.has(id) && !keep.has(id)))
    return old.length
  })
}

async function removeJobs(db: LocalDb, jobIds: string[]): Promise<void> {
  const attachmentIds = await db.attachments.where('jobId').anyOf(jobIds).primaryKeys()
  await db.files.bulkDelete(attachmentIds)
  for (const table of [
    db.appointments,
    db.notes,
    db.attachments,
    db.estimates,
    db.invoices,
    db.payments,
    db.signatures,
    db.jobForms,
  ]) {
    await table.where('jobId').anyOf(jobIds).delete()
  }
  await db.jobs.bulkDelete(jobIds)
}
