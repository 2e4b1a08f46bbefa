import * as v from 'valibot'
import { APPOINTMENT_STATUSES, JOB_STATUSES } from '../../protocol/entities'
import { Id, IsoDateTime, text } from '../../protocol/fields'

/** Bodies of the dispatcher routes. strictObject: a misspelt field is refused, not ignored. */

function endsAfterStarts<T extends { startsAt?: string; endsAt?: string }>(a: T): boolean {
  return !a.startsAt || !a.endsAt || Date.parse(a.endsAt) > Date.parse(a.startsAt)
}

function notEmpty<T extends object>(o: T): boolean {
  return Object.keys(o).length > 0
}

export const CreateAppointment = v.pipe(
  v.strictObject({
    id: v.optional(Id),
    jobId: Id,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: v.optional(v.picklist(APPOINTMENT_STATUSES, 'is not an appointment status')),
  }),
  v.check((a) => endsAfterStarts(a), 'endsAt must be after startsAt'),
)

export const PatchAppointment = v.pipe(
  v.strictObject({
    startsAt: v.optional(IsoDateTime),
    endsAt: v.optional(IsoDateTime),
    status: v.optional(v.picklist(APPOINTMENT_STATUSES, 'is not an appointment status')),
  }),
  v.check((o) => notEmpty(o), 'The body must change at least one field.'),
)

export const PatchJob = v.pipe(
  v.strictObject({
    title: v.optional(text(200)),
    description: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(10_000))),
    status: v.optional(v.picklist(JOB_STATUSES, 'is not a job status')),
    technicianId: v.optional(Id),
  }),
  v.check((o) => notEmpty(o), 'The body must change at least one field.'),
)

export const JobListQuery = v.strictObject({ technicianId: v.optional(Id) })

/** Path ids: anything but a UUID cannot name a row, so it is a plain 404. */
export function isId(value: string): boolean {
  return v.is(Id, value)
}
