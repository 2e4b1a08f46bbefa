import { resolveEdit } from '../../protocol/merge'
import { entityKey } from '../outboxEntry'
import { jobLabel } from './labels'
import type { LocalAction } from './localAction'

export const appointmentCreate: LocalAction<'appointment.create'> = {
  tables: (db) => [db.appointments, db.jobs],
  async describe(db, args) {
    return {
      label: `New appointment on ${await jobLabel(db, args.jobId)}`,
      jobId: args.jobId,
      entityKeys: [entityKey('appointments', args.id), entityKey('jobs', args.jobId)],
    }
  },
  async apply(db, args) {
    await db.appointments.put({ ...args, status: 'scheduled', version: 0 })
  },
  async revert(db, args) {
    await db.appointments.delete(args.id)
  },
}

/** Date/time change. Start and end move together: one field, `time`, for conflicts. */
export const appointmentReschedule: LocalAction<'appointment.reschedule'> = {
  tables: (db) => [db.appointments, db.jobs],
  async describe(db, args) {
    const appt = await db.appointments.get(args.appointmentId)
    return {
      label: `Appointment moved on ${appt ? await jobLabel(db, appt.jobId) : 'a job'}`,
      jobId: appt?.jobId,
      entityKeys: [
        entityKey('appointments', args.appointmentId),
        ...(appt ? [entityKey('jobs', appt.jobId)] : []),
      ],
    }
  },
  async apply(db, args) {
    await db.appointments.update(args.appointmentId, {
      startsAt: args.startsAt,
      endsAt: args.endsAt,
    })
  },
  async revert(db, args) {
    await db.appointments.update(args.appointmentId, args.base)
  },
  coalesce: (queued, next) =>
    queued.appointmentId === next.appointmentId
      ? { ...next, base: queued.base, baseVersion: queued.baseVersion }
      : null,
  // One field, `time` = {startsAt, endsAt}, as the server merges it.
  resolve(args, clashes, choose) {
    const { startsAt, endsAt } = args
    const r = resolveEdit({ time: { startsAt, endsAt } }, { time: args.base }, clashes, choose)
    const time = r.changes.time as typeof args.base
    return { ...args, ...time, base: r.base.time as typeof args.base }
  },
  async showChoice(db, args, clashes, choose) {
    const clash = clashes.find((c) => c.field === 'time')
    if (!clash) return
    const time = (choose(clash) === 'server' ? clash.server : clash.mine) as typeof args.base
    await db.appointments.update(args.appointmentId, time)
  },
}
