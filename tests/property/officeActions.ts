import fc from 'fast-check'
import * as v from 'valibot'
import {
  APPOINTMENT_STATUSES,
  ESTIMATE_STATUSES,
  INVOICE_STATUSES,
  JOB_STATUSES,
} from '../../protocol/entities'
import {
  CreateAppointment,
  PatchAppointment,
  PatchEstimate,
  PatchForm,
  PatchInvoice,
  PatchJob,
} from '../../server/dispatch/schemas'
import type { Pools } from './catalog'
import { nearLines, validLines } from './documentActions'
import { answerFor } from './formActions'
import { createdId, nearId } from './ids'
import { raw, toJsonText } from './json'
import { nearInteger } from './numbers'
import { nearFields, someOf } from './step'
import { NASTY_PIECES, nearText, validText } from './texts'
import { nearIso, validIso, validTimeRange } from './times'

/**
 * Requests to the dispatcher's routes (server/dispatch/routes.ts), sent by Dana to both stores:
 * PATCH a job, POST/PATCH an appointment, PATCH an estimate, an invoice or a form's answers.
 */
export type OfficeRoute =
  | 'job.patch'
  | 'appointment.create'
  | 'appointment.patch'
  | 'estimate.patch'
  | 'invoice.patch'
  | 'form.patch'

/** Each route's body schema (server/dispatch/schemas.ts). */
export const OFFICE_SCHEMAS: Record<OfficeRoute, v.GenericSchema> = {
  'job.patch': PatchJob,
  'appointment.create': CreateAppointment,
  'appointment.patch': PatchAppointment,
  'estimate.patch': PatchEstimate,
  'invoice.patch': PatchInvoice,
  'form.patch': PatchForm,
}

/** Whether the route's schema accepts the body as the server receives it (through JSON text). */
export function acceptedBody(route: OfficeRoute, body: unknown): boolean {
  return v.is(OFFICE_SCHEMAS[route], JSON.parse(toJsonText(body)))
}

export interface OfficeRequest {
  route: OfficeRoute
  /** The row of the path (`/…/:id`); null for POST. */
  id: string | null
  body: unknown
}

export interface OfficeFlavours {
  valid: fc.Arbitrary<OfficeRequest>
  nearValid: fc.Arbitrary<OfficeRequest>
}

const anyOf = (pool: { mine: string[]; others: string[] }) =>
  fc.constantFrom(...pool.mine, ...pool.others)

/** A path id: a row's (mostly), in upper case, or one nothing has. */
const pathId = (pool: { mine: string[]; others: string[] }) =>
  fc.oneof(
    { weight: 8, arbitrary: anyOf(pool) },
    { weight: 1, arbitrary: anyOf(pool).map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.uuid() },
  )

/**
 * A precondition on a PATCH (server/dispatch/precondition.ts), now and then. Versions differ
 * between the stores, so only values no row holds: 0 and the largest version are well formed
 * and always stale (409 `stale`, nothing written, on both stores); the rest are refused 400.
 */
const nearBaseVersion = fc.constantFrom<unknown>(0, 2_147_483_647, -1, 1.5, '1', null, 2 ** 31)

const withBaseVersion = <T extends { id: string | null; body: unknown }>(r: T): fc.Arbitrary<T> =>
  r.body !== null && typeof r.body === 'object' && !Array.isArray(r.body)
    ? fc.oneof(
        { weight: 5, arbitrary: fc.constant(r) },
        {
          weight: 1,
          arbitrary: nearBaseVersion.map((baseVersion) => ({
            ...r,
            body: { ...(r.body as object), baseVersion },
          })),
        },
      )
    : fc.constant(r)

const request = (route: OfficeRoute) => (r: { id: string | null; body: unknown }) => ({
  route,
  ...r,
})

/**
 * The office's requests in both flavours; `valid` keeps only bodies the route's schema accepts
 * (whatever it accepts at the time, as for the actions: see arbitraries.ts).
 */
export function officeArbitraries(pools: Pools): Record<OfficeRoute, OfficeFlavours> {
  const generated = generatedOfficeArbitraries(pools)
  for (const route of Object.keys(generated) as OfficeRoute[]) {
    const { valid } = generated[route]
    generated[route] = {
      ...generated[route],
      valid: valid.filter((r) => acceptedBody(route, r.body)),
    }
  }
  return generated
}

/** The office's requests as generated, before `valid` is narrowed to what the schema accepts. */
export function generatedOfficeArbitraries(pools: Pools): Record<OfficeRoute, OfficeFlavours> {
  const jobBody = fc
    .tuple(
      someOf({
        title: validText(200),
        description: fc.oneof(validText(10_000), fc.constant('')),
        status: fc.constantFrom(...JOB_STATUSES),
      }),
      // Reassigning is rare: it moves the job out of Alex's pools for every later case.
      fc.option(fc.constantFrom(...pools.technicians), { freq: 8 }),
    )
    .map(([body, technicianId]) => (technicianId ? { ...body, technicianId } : body))

  const jobPatch = fc.record({ id: anyOf(pools.jobs), body: jobBody })

  const appointmentCreate = fc
    .record({
      id: fc.option(createdId(), { freq: 4 }),
      jobId: anyOf(pools.jobs),
      times: validTimeRange(),
      status: fc.option(fc.constantFrom(...APPOINTMENT_STATUSES)),
    })
    .map(({ id, times, status, jobId }) => ({
      id: null,
      body: { ...(id && { id }), jobId, ...times, ...(status && { status }) },
    }))
    .filter((r) => v.is(CreateAppointment, r.body))

  const appointmentPatch = fc
    .record({
      id: anyOf(pools.appointments),
      body: someOf({
        startsAt: validIso,
        endsAt: validIso,
        status: fc.constantFrom(...APPOINTMENT_STATUSES),
      }),
    })
    .filter((r) => v.is(PatchAppointment, r.body))

  const documentPatch = (pool: { mine: string[]; others: string[] }, statuses: readonly string[]) =>
    fc.record({
      id: anyOf(pool),
      body: someOf({
        lineItems: validLines,
        status: fc.constantFrom(...statuses),
        taxRateBps: fc.integer({ min: 0, max: 10_000 }),
      }),
    })

  const forms = [...pools.forms.mine, ...pools.forms.others]
  const formPatch = fc.constantFrom(...forms).chain((form) =>
    fc.record({
      id: fc.constant(form.id),
      // Answers that fit their fields, as jobForm.answer's: the office is held to the same rule.
      body: fc.subarray(form.fields, { minLength: 1 }).chain((fields) =>
        fc.tuple(...fields.map(answerFor)).map((values) => ({
          answers: Object.fromEntries(fields.map((f, i) => [f.id, values[i] ?? null])),
        })),
      ),
    }),
  )

  // Keys mostly of the form's own fields (so the answer is stored), else another form's or none.
  const nearAnswersOf = (fields: string[]) =>
    fc.dictionary(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...fields) },
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constant('\u0000') },
      ),
      fc.oneof(
        nearText(2_000),
        // 1e400 is Infinity once parsed: valibot's number() takes it, JSON.stringify writes null.
        fc.constantFrom<unknown>('a'.repeat(2_001), raw('1e400'), raw('-0'), 2 ** 53 + 2, {}),
      ),
      { minKeys: 1, maxKeys: 2 },
    )
  const nearFormPatch = fc
    .tuple(
      fc.constantFrom(...forms),
      fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.uuid() }),
    )
    .chain(([form, otherId]) =>
      fc.record({
        id: fc.constant(otherId ?? form.id),
        body: fc.oneof(
          {
            weight: 6,
            arbitrary: fc.record({ answers: nearAnswersOf(form.fields.map((f) => f.id)) }),
          },
          { weight: 1, arbitrary: fc.constantFrom<unknown>({}, { answers: {} }, null, []) },
        ),
      }),
    )

  const near = <T extends { id: string | null; body: unknown }>(
    valid: fc.Arbitrary<T>,
    ids: fc.Arbitrary<string>,
    body: Record<string, fc.Arbitrary<unknown>>,
  ) =>
    fc
      .record({
        valid,
        id: fc.option(ids, { freq: 4 }),
        body: fc.oneof(
          {
            weight: 8,
            arbitrary: valid.chain((r) =>
              nearFields(fc.constant(r.body as Record<string, unknown>), body),
            ),
          },
          { weight: 1, arbitrary: fc.constantFrom<unknown>({}, null, [], 'x') },
        ),
      })
      .map(({ valid, id, body: b }) => ({
        id: valid.id === null ? null : (id ?? valid.id),
        body: b,
      }))

  const nearStatus = fc.constantFrom<unknown>('', 'Scheduled', 'paid', 'void', null, 1)
  const nearDocument = {
    lineItems: nearLines,
    status: nearStatus,
    taxRateBps: nearInteger(0, 10_000),
  }

  return {
    'job.patch': {
      valid: jobPatch.map(request('job.patch')),
      nearValid: near(jobPatch, pathId(pools.jobs), {
        title: nearText(200),
        description: fc.oneof(nearText(10_000), fc.constant('d'.repeat(10_001))),
        status: nearStatus,
        technicianId: nearId([...pools.technicians, pools.dispatcher]),
        address: fc.constant(`1 Main St${NASTY_PIECES.join('')}`),
      })
        .chain(withBaseVersion)
        .map(request('job.patch')),
    },
    'appointment.create': {
      valid: appointmentCreate.map(request('appointment.create')),
      nearValid: near(appointmentCreate, fc.constant(''), {
        id: nearId([]),
        jobId: nearId(pools.jobs.mine),
        startsAt: nearIso,
        endsAt: nearIso,
        status: nearStatus,
      }).map(request('appointment.create')),
    },
    'appointment.patch': {
      valid: appointmentPatch.map(request('appointment.patch')),
      nearValid: near(appointmentPatch, pathId(pools.appointments), {
        startsAt: nearIso,
        endsAt: nearIso,
        status: nearStatus,
      })
        .chain(withBaseVersion)
        .map(request('appointment.patch')),
    },
    'estimate.patch': {
      valid: documentPatch(pools.estimates, ESTIMATE_STATUSES).map(request('estimate.patch')),
      nearValid: near(
        documentPatch(pools.estimates, ESTIMATE_STATUSES),
        pathId(pools.estimates),
        nearDocument,
      )
        .chain(withBaseVersion)
        .map(request('estimate.patch')),
    },
    'invoice.patch': {
      valid: documentPatch(pools.invoices, INVOICE_STATUSES).map(request('invoice.patch')),
      nearValid: near(
        documentPatch(pools.invoices, INVOICE_STATUSES),
        pathId(pools.invoices),
        nearDocument,
      )
        .chain(withBaseVersion)
        .map(request('invoice.patch')),
    },
    'form.patch': {
      valid: formPatch.map(request('form.patch')),
      nearValid: nearFormPatch.chain(withBaseVersion).map(request('form.patch')),
    },
  }
}
