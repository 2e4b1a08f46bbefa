import { restampJob } from '../db/restamp'
import { conflictOutcome, findConflicts } from './edits'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * appointment.reschedule: an edit of one field, `time` = {startsAt, endsAt}, compared as a pair
 * (see edits.ts for the rule). The job is re-stamped as when the office moves a visit.
 */
export const applyAppointmentReschedule: ApplyFn<'appointment.reschedule'> = async (ctx, args) => {
  const appointment = await ctx.trx
    .selectFrom('appointments')
    .select(['id', 'job_id', 'starts_at', 'ends_at', 'version'])
    .where('id', '=', args.appointmentId)
    .executeTakeFirst()
  if (!appointment) return reject('not_found', 'This appointment no longer exists on the server.')
  const access = await loadWritableJob(ctx, appointment.job_id)
  if ('rejection' in access) return access.rejection

  const current = { time: { startsAt: appointment.starts_at, endsAt: appointment.ends_at } }
  const mine = { time: { startsAt: args.startsAt, endsAt: args.endsAt } }
  const base = { time: { startsAt: args.base.startsAt, endsAt: args.base.endsAt } }
  const conflicts = findConflicts(current, mine, base)
  if (conflicts.length > 0) {
    return conflictOutcome(
      `this visit of Job #${access.job.number}`,
      conflicts,
      appointment.version,
    )
  }
  if (current.time.startsAt === mine.time.startsAt && current.time.endsAt === mine.time.endsAt) {
    return { ok: true }
  }

  await ctx.trx
    .updateTable('appointments')
    .set({
      starts_at: mine.time.startsAt,
      ends_at: mine.time.endsAt,
      version: appointment.version + 1,
      rev: ctx.rev,
    })
    .where('id', '=', appointment.id)
    .execute()
  await restampJob(ctx.trx, access.job, ctx.rev)
  return { ok: true }
}
