import * as v from 'valibot'
import {
  APPOINTMENT_STATUSES,
  ESTIMATE_STATUSES,
  INVOICE_STATUSES,
  JOB_STATUSES,
} from '../../protocol/entities'
import { Id, IsoDateTime, Version } from '../../protocol/fields'
import { LineItems, TaxRateBps } from '../../protocol/lineItems'
import { Answers, endsAfterStarts, JobDescription, JobTitle } from '../../protocol/mutations'

/**
 * Bodies of the dispatcher routes. strictObject: a misspelt field is refused, not ignored. Every
 * value a technician's action also writes uses that action's schema (protocol/mutations.ts), so
 * the same data is checked the same way whichever route writes it.
 */

/** A body must change something: `baseVersion` alone is a precondition, not a change. */
function notEmpty<T extends object>(o: T): boolean {
  return Object.keys(o).some((k) => k !== 'baseVersion')
}

/**
 * The version the office read (optional; see precondition.ts). Named as in the technician's
 * edits. Without it the route writes whatever it is sent, as before.
 */
const baseVersion = v.optional(Version)

export const CreateAppointment = v.pipe(
  v.strictObject({
    id: v.optional(Id),
    jobId: Id,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: v.optional(v.picklist(APPOINTMENT_STATUSES, 'is not an appointment status')),
  }),
  v.check(endsAfterStarts, 'endsAt must be after startsAt'),
)

export const PatchAppointment = v.pipe(
  v.strictObject({
    baseVersion,
    startsAt: v.optional(IsoDateTime),
    endsAt: v.optional(IsoDateTime),
    status: v.optional(v.picklist(APPOINTMENT_STATUSES, 'is not an appointment status')),
  }),
  v.check((o) => notEmpty(o), 'The body must change at least one field.'),
)

export const PatchJob = v.pipe(
  v.strictObject({
    baseVersion,
    title: v.optional(JobTitle),
    description: v.optional(JobDescription),
    status: v.optional(v.picklist(JOB_STATUSES, 'is not a job status')),
    technicianId: v.optional(Id),
  }),
  v.check((o) => notEmpty(o), 'The body must change at least one field.'),
)

export const PatchEstimate = v.pipe(
  v.strictObject({
    baseVersion,
    lineItems: v.optional(LineItems),
    status: v.optional(v.picklist(ESTIMATE_STATUSES, 'is not an estimate status')),
    taxRateBps: v.optional(TaxRateBps),
  }),
  v.check((o) => notEmpty(o), 'The body must change at least one field.'),
)

export const PatchInvoice = v.pipe(
  v.strictObject({
    baseVersion,
    lineItems: v.optional(LineItems),
    status: v.optional(v.picklist(INVOICE_STATUSES, 'is not an invoice status')),
    taxRateBps: v.optional(TaxRateBps),
  }),
  v.check((o) => notEmpty(o), 'The body must change at least one field.'),
)

export const PatchForm = v.strictObject({ baseVersion, answers: Answers })

export const JobListQuery = v.strictObject({ technicianId: v.optional(Id) })
