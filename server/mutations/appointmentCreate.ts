import { restampJob } from '../db/restamp'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * appointment.create: a new visit on a job in scope (a follow-up booked on site). The job is
 * re-stamped, like the office's route does: a new appointment can bring the job into the window.
 *
 * An appointment already under this id is this create again (another device, an action made
 * twice) only if it holds what this create sets: the same job and times. Anything else is refused
 * `conflict`, as every create is: the server never answers "applied" for a visit it does not
 * hold. Once the appointment was moved (a reschedule or the office: its version went past 1),
 * its times no longer say what its create set, so only the job is compared: the create that made
 * it, sent again, must not be refused for a later edit (the device takes the times from its next
 * pull).
 */
export const applyAppointmentCreate: ApplyFn<'appointment.create'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  const existing = await ctx.trx
    .selectFrom('appointments')
    .select(['job_id', 'starts_at', 'ends_at', 'version'])
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    const same =
      existing.job_id === args.jobId &&
      (existing.version > 1 ||
        (existing.starts_at === args.startsAt && existing.ends_at === args.endsAt))
    if (same) return { ok: true }
    return reject(
      'conflict',
      'Another appointment already uses this id (on another job or at another time), so this one was not saved.',
    )
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
