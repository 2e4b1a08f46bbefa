import * as v from 'valibot'
import {
  ATTACHMENT_KINDS,
  ESTIMATE_STATUSES,
  JOB_STATUSES,
  PAYMENT_METHODS,
  SIGNATURE_SUBJECTS,
} from './entities'
import { CleanString, Id, IsoDateTime, optionalText, text, Version } from './fields'
import { describeIssue } from './issueText'
import { Cents, LineItems, TaxRateBps } from './lineItems'

export { hasAtMost2Decimals, LineItemInput, LineItems, TaxRateBps } from './lineItems'

/**
 * The named actions a device queues while offline and pushes later. One schema per action,
 * used by both the device (before the action is saved) and the server (before it is
 * applied), so the two can never disagree about what is valid.
 *
 * Entities created on the device carry their final id in the args, so a later action that
 * refers to them (a payment on an invoice made offline) needs no id remapping.
 *
 * Edits carry `baseVersion` (the entity's version the device saw) and `base` (the old value of
 * each field they change). The server applies an edit field by field: a field the office has
 * not touched since takes the technician's value; one the office changed too makes the whole
 * action a Conflict, resolved by the technician ("Keep mine" / "Use office's").
 */

const Color = v.pipe(v.string(), v.regex(/^#[0-9a-f]{6}$/i, 'must be a colour like #1a2b3c'))
const Sha256 = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256'))
/** What the server accepts as a file: checked again by the file's first bytes on upload. */
export const ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'application/pdf',
] as const
export const MAX_FILE_BYTES = 20 * 1024 * 1024

/** A data: URL of an image, base64 only: nothing but those characters can reach a store. */
const base64Image = (types: string) =>
  new RegExp(`^data:image/(?:${types});base64,[A-Za-z0-9+/]*={0,2}$`)

/** The longest estimate or invoice number, sent or given by the server when it renumbers. */
export const DOC_NUMBER_MAX = 40
const DocNumber = text(DOC_NUMBER_MAX)
/** A job's title and description; the office's edits and the technician's share these bounds. */
export const JobTitle = text(200)
export const JobDescription = optionalText(10_000)

/** An edit: `changes` and `base` name the same fields, at least one. */
function edit<K extends v.ObjectEntries, T extends v.ObjectEntries>(idEntry: K, fields: T) {
  const partial = v.partial(v.strictObject(fields))
  return v.pipe(
    v.strictObject({ ...idEntry, baseVersion: Version, changes: partial, base: partial }),
    v.check((x) => {
      const changed = Object.keys(x.changes as object)
      const base = Object.keys(x.base as object)
      return (
        changed.length > 0 &&
        changed.length === base.length &&
        changed.every((k) => base.includes(k))
      )
    }, 'changes and base must name the same fields, at least one'),
  )
}

export const NoteAdd = v.strictObject({
  id: Id,
  jobId: Id,
  body: text(10_000),
  createdAt: IsoDateTime,
})

export const AttachmentAdd = v.strictObject({
  id: Id,
  jobId: Id,
  kind: v.picklist(ATTACHMENT_KINDS),
  filename: text(255),
  mimeType: v.picklist(ATTACHMENT_TYPES, 'must be a JPEG, PNG, WebP or HEIC photo, or a PDF'),
  size: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(1),
    v.maxValue(MAX_FILE_BYTES, 'must be at most 20 MB'),
  ),
  sha256: Sha256,
  takenAt: IsoDateTime,
  /** Small JPEG data: URL made on the device (photos only). */
  thumbnail: v.nullable(
    v.pipe(
      v.string(),
      v.maxLength(100_000),
      v.regex(base64Image('jpeg|png|webp'), 'must be a JPEG, PNG or WebP data: URL'),
    ),
  ),
})

export const PaymentAdd = v.pipe(
  v.strictObject({
    id: Id,
    invoiceId: Id,
    method: v.picklist(PAYMENT_METHODS, 'must be cash, check or other'),
    amountCents: v.pipe(Cents, v.minValue(1, 'must be more than zero')),
    /**
     * The check's number, or another reference; left out when there is none (protocol 2: before,
     * a cash payment sent `reference: null`, a key with nothing in it; the server upgrades that).
     */
    reference: v.optional(text(100)),
    receivedAt: IsoDateTime,
  }),
  v.check(
    (p) => p.method !== 'check' || Boolean(p.reference),
    'a check payment needs the check number',
  ),
)

export const LabelCreate = v.strictObject({ id: Id, name: text(40), color: Color })
export const JobLabel = v.strictObject({ jobId: Id, labelId: Id })

export const SignatureAdd = v.strictObject({
  id: Id,
  jobId: Id,
  subjectType: v.picklist(SIGNATURE_SUBJECTS),
  subjectId: Id,
  signerName: text(120),
  signedAt: IsoDateTime,
  image: v.pipe(v.string(), v.maxLength(500_000), v.regex(base64Image('png'), 'must be a PNG')),
})

/**
 * A visit ends after it starts: the one time rule of appointments, for the technician's actions
 * and the office's routes (server/dispatch/schemas.ts, appointments.ts) alike.
 */
export function endsAfterStarts<T extends { startsAt: string; endsAt: string }>(x: T): boolean {
  return Date.parse(x.endsAt) > Date.parse(x.startsAt)
}

export const AppointmentCreate = v.pipe(
  v.strictObject({ id: Id, jobId: Id, startsAt: IsoDateTime, endsAt: IsoDateTime }),
  v.check(endsAfterStarts, 'must end after it starts'),
)

export const AppointmentReschedule = v.pipe(
  v.strictObject({
    appointmentId: Id,
    baseVersion: Version,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    base: v.strictObject({ startsAt: IsoDateTime, endsAt: IsoDateTime }),
  }),
  v.check(endsAfterStarts, 'must end after it starts'),
)

export const EstimateCreate = v.strictObject({
  id: Id,
  jobId: Id,
  number: DocNumber,
  lineItems: LineItems,
  taxRateBps: TaxRateBps,
  createdAt: IsoDateTime,
})

export const InvoiceCreate = v.strictObject({
  id: Id,
  jobId: Id,
  number: DocNumber,
  lineItems: LineItems,
  taxRateBps: TaxRateBps,
  estimateId: v.nullable(Id),
  createdAt: IsoDateTime,
})

export const JobUpdate = edit(
  { jobId: Id },
  {
    title: JobTitle,
    description: JobDescription,
    status: v.picklist(JOB_STATUSES),
  },
)

export const EstimateUpdate = edit(
  { estimateId: Id },
  {
    lineItems: LineItems,
    status: v.picklist(ESTIMATE_STATUSES),
    taxRateBps: TaxRateBps,
  },
)

export const InvoiceUpdate = edit(
  { invoiceId: Id },
  { lineItems: LineItems, taxRateBps: TaxRateBps },
)

/** One job-form answer: text, a number, yes/no, or cleared. */
export const Answer = v.nullable(
  // finite: JSON's 1e400 parses to Infinity, which JSON.stringify would store as null.
  v.union([
    v.pipe(CleanString, v.maxLength(2_000)),
    v.pipe(v.number(), v.finite('must be a finite number')),
    v.boolean(),
  ]),
)
/** A form's answers by field id: the technician's and the office's (PATCH …/forms/:id) alike. */
export const Answers = v.pipe(
  v.record(Id, Answer),
  v.check(
    (r) => Object.keys(r).length > 0 && Object.keys(r).length <= 200,
    'must answer 1 to 200 fields',
  ),
)
export const JobFormAnswer = v.pipe(
  v.strictObject({
    formId: Id,
    baseVersion: Version,
    answers: Answers,
    base: v.record(Id, Answer),
  }),
  v.check(
    (x) => Object.keys(x.answers).every((k) => k in x.base),
    'base must hold the old value of every answered field',
  ),
)

export const mutationSchemas = {
  'note.add': NoteAdd,
  'attachment.add': AttachmentAdd,
  'payment.add': PaymentAdd,
  'label.create': LabelCreate,
  'job.addLabel': JobLabel,
  'job.removeLabel': JobLabel,
  'signature.add': SignatureAdd,
  'appointment.create': AppointmentCreate,
  'appointment.reschedule': AppointmentReschedule,
  'estimate.create': EstimateCreate,
  'estimate.update': EstimateUpdate,
  'invoice.create': InvoiceCreate,
  'invoice.update': InvoiceUpdate,
  'job.update': JobUpdate,
  'jobForm.answer': JobFormAnswer,
} as const

export type MutationName = keyof typeof mutationSchemas
export const MUTATION_NAMES = Object.keys(mutationSchemas) as MutationName[]
export type MutationArgs<N extends MutationName> = v.InferOutput<(typeof mutationSchemas)[N]>

/** One queued action as it travels in a push. `seq` is the device's order of making them. */
export type Mutation = {
  [N in MutationName]: {
    id: string
    seq: number
    name: N
    args: MutationArgs<N>
    at: string
    /** The protocol version the action was made with (absent: 1). */
    v?: number
  }
}[MutationName]

/** Validates one action's args; returns the parsed args or the first problem in words. */
export function parseMutationArgs<N extends MutationName>(
  name: N,
  args: unknown,
): { ok: true; args: MutationArgs<N> } | { ok: false; reason: string } {
  const result = v.safeParse(mutationSchemas[name], args)
  if (result.success) return { ok: true, args: result.output as MutationArgs<N> }
  return { ok: false, reason: describeIssue(result.issues[0], 'The action’s details') }
}
