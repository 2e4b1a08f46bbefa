import { restampJob } from '../db/restamp'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * appointment.create: a new visit on a job in scope (a follow-up booked on site). The job is
 * re-stamped, like the office's route does: a new appointment can bring the job into the window.
 */
export const applyAppointmentCreate: ApplyFn<'appointment.create'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  const existing = await ctx.trx
    .selectFrom('appointments')
    .select('job_id')
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    if (existing.job_id === args.jobId) return { ok: true }
    return reject('conflict', 'Another appointment already uses this id.')
  }

  await ctx.trx
    .insertInto('appointments')
    .values({
      id: args.id,
      job_id: args.jobId,
      starts_at: args.startsAt,
      ends_at: args.endsAt,
      status: 'scheduled',
      version: 1,
      rev: ctx.rev,
      updated_at: ctx.now.toISOString(),
    })
    .execute()
  await restampJob(ctx.trx, access.job, ctx.rev)
  return { ok: true }
}
