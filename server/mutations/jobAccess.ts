import type { User } from '../../protocol/auth'
import type { ApplyContext, ApplyOutcome } from './types'
import { reject } from './types'

export interface JobRef {
  id: string
  number: number
  technician_id: string
  customer_id: string
}

/**
 * Loads a job a mutation wants to touch and checks the user may: a technician only their own
 * jobs, a dispatcher any. Returns the job or the rejection to report.
 */
export async function loadWritableJob(
  ctx: ApplyContext,
  jobId: string,
): Promise<{ job: JobRef } | { rejection: ApplyOutcome }> {
  let job = ctx.batch.jobs.get(jobId)
  if (job === undefined) {
    job =
      (await ctx.trx
        .selectFrom('jobs')
        .select(['id', 'number', 'technician_id', 'customer_id'])
        .where('id', '=', jobId)
        .executeTakeFirst()) ?? null
    ctx.batch.jobs.set(jobId, job)
  }
  if (!job) return { rejection: reject('not_found', 'This job no longer exists on the server.') }
  if (!mayWriteJob(ctx.user, job)) {
    // Without the job's number: the technician's entry already names the job it was made on, and
    // an id of a job never theirs must not tell them its number (a probe read "Job #1200").
    return { rejection: reject('forbidden', 'This job is no longer assigned to you.') }
  }
  return { job }
}

export function mayWriteJob(user: User, job: Pick<JobRef, 'technician_id'>): boolean {
  return user.role === 'dispatcher' || job.technician_id === user.id
}
