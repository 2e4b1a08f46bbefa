import type { Transaction } from 'kysely'
import { DAYS_AHEAD, DAYS_BACK, syncWindow } from '../../protocol/window'
import { tombstoneJobFor } from './restamp'
import type { Database } from './schema'

/**
 * Whether the job has an appointment starting in the days a technician's device keeps (protocol/
 * window.ts): what puts it in their scope. Read before and after moving one of its appointments.
 */
export async function heldInWindow(
  trx: Transaction<Database>,
  jobId: string,
  now: Date,
): Promise<boolean> {
  const window = syncWindow(now)
  const row = await trx
    .selectFrom('appointments')
    .select('id')
    .where('job_id', '=', jobId)
    .where('starts_at', '>=', window.from)
    .where('starts_at', '<', window.to)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * After an appointment moved (by the office, or by the technician on one of their devices): a
 * job that was in the window and no longer is leaves the technician's scope, and a delta sends
 * nothing of a job out of scope, so their devices would go on showing the visit at its old time.
 * They are told to drop the job instead; a move back in re-stamps it (restampJob) and it is sent
 * whole again.
 */
export async function dropIfMovedOut(
  trx: Transaction<Database>,
  job: { id: string; number: number; technician_id: string },
  rev: number,
  now: Date,
  wasHeld: boolean,
): Promise<void> {
  if (!wasHeld || (await heldInWindow(trx, job.id, now))) return
  await tombstoneJobFor(
    trx,
    job,
    job.technician_id,
    rev,
    `Job #${job.number} was rescheduled outside the days this device keeps (${DAYS_BACK} days back to ${DAYS_AHEAD} ahead).`,
  )
}
