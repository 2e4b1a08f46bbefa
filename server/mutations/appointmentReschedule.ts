import { mergeEdit } from '../../protocol/merge'
import { dropIfMovedOut, heldInWindow } from '../db/movedOut'
import { restampJob } from '../db/restamp'
import { editOutcome } from './edits'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * appointment.reschedule: an edit of one field, `time` = {startsAt, endsAt}, merged as a pair
 * (see edits.ts): a start without its end means nothing. The job is re-stamped as when the office
 * moves a visit, and moved out of the window it is dropped from the technician's devices as then
 * (db/movedOut.ts): the device that made the move too, since it keeps only the window's jobs.
 */
export const applyAppointmentReschedule: ApplyFn<'appointment.reschedule'> = async (ctx, args) => {
  const appointment = await ctx.trx
    .selectFrom('appointments')
    .select(['id', 'job_id', 'starts_at', 'ends_at', 'version', 'updated_at'])
    .where('id', '=', args.appointmentId)
    .executeTakeFirst()
  if (!appointment) return reject('not_found', 'This appointment no longer exists on the server.')
  const access = await loadWritableJob(ctx, appointment.job_id)
  if ('rejection' in access) return access.rejection

  const current = { time: { startsAt: appointment.starts_at, endsAt: appointment.ends_at } }
  const mine = { time: { startsAt: args.startsAt, endsAt: args.endsAt } }
  const base = { time: args.base }
  const merge = mergeEdit(current, mine, base)
  let version = appointment.version
  if (merge.changed.length > 0) {
    const time = merge.values.time as typeof mine.time
    const wasHeld = await heldInWindow(ctx.trx, access.job.id, ctx.now)
    version++
    await ctx.trx
      .updateTable('appointments')
      .set({
        starts_at: time.startsAt,
        ends_at: time.endsAt,
        version,
        rev: ctx.rev,
        updated_at: ctx.now.toISOString(),
      })
      .where('id', '=', appointment.id)
      .execute()
    await restampJob(ctx.trx, access.job, ctx.rev)
    await dropIfMovedOut(ctx.trx, access.job, ctx.rev, ctx.now, wasHeld)
  }
  const what = `this visit of Job #${access.job.number}`
  return editOutcome(what, merge, version, appointment.updated_at)
}
