import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Transaction } from 'kysely'
import { isId } from '../../protocol/fields'
import { endsAfterStarts } from '../../protocol/mutations'
import { requireRole } from '../auth/guard'
import type { AppContext } from '../context'
import { dropIfMovedOut, heldInWindow } from '../db/movedOut'
import { restampJob } from '../db/restamp'
import { appointmentColumns, toAppointment } from '../db/rows'
import type { Database } from '../db/schema'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { nextRev } from '../sync/revs'
import { checkVersion, expectedVersion, setEntityTag } from './precondition'
import { CreateAppointment, PatchAppointment } from './schemas'

/**
 * Office routes on appointments. Both re-stamp the whole job: a new or moved appointment can
 * bring a job into a technician's window, and then the device needs the job, its customer and
 * notes too, not just the appointment. A move that takes the job out of the window tombstones it
 * for its technician (tests/server/rescheduleOut.test.ts).
 */
export function registerDispatchAppointmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely

  app.post('/api/dispatch/appointments', async (request, reply) => {
    requireRole(request, 'dispatcher')
    const body = parseInput(CreateAppointment, request.body)
    const id = body.id ?? randomUUID()

    let technicianId = ''
    let again = false
    const appointment = await db.transaction().execute(async (trx) => {
      const rev = await nextRev(trx)
      const job = await loadJob(trx, body.jobId)
      technicianId = job.technician_id
      const taken = await trx
        .selectFrom('appointments')
        .select(['id', 'job_id', 'starts_at', 'ends_at', 'status', 'version'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (taken) {
        // The same create again (an office client retrying after a lost answer): what it made is
        // the answer, as for a technician's appointment.create. Anything else under the id: 409.
        const same =
          taken.version === 1 &&
          taken.job_id === job.id &&
          taken.starts_at === body.startsAt &&
          taken.ends_at === body.endsAt &&
          taken.status === (body.status ?? 'scheduled')
        if (!same) {
          throw new HttpError(
            409,
            'conflict',
            'An appointment with this id already exists, with other details.',
          )
        }
        again = true
        return loadAppointment(trx, id)
      }
      await trx
        .insertInto('appointments')
        .values({
          id,
          job_id: job.id,
          // Stored in one ISO form so text comparison orders them by time.
          starts_at: body.startsAt,
          ends_at: body.endsAt,
          status: body.status ?? 'scheduled',
          version: 1,
          rev,
          updated_at: ctx.now().toISOString(),
        })
        .execute()
      await restampJob(trx, job, rev)
      return loadAppointment(trx, id)
    })
    if (!again) ctx.changes.publish({ users: [technicianId] })
    reply.code(again ? 200 : 201)
    return { appointment: toAppointment(appointment) }
  })

  app.patch<{ Params: { id: string } }>(
    '/api/dispatch/appointments/:id',
    async (request, reply) => {
      requireRole(request, 'dispatcher')
      const { id } = request.params
      if (!isId(id)) throw appointmentNotFound()
      const { baseVersion, ...patch } = parseInput(PatchAppointment, request.body)
      const expected = expectedVersion(request, baseVersion)

      let technicianId = ''
      const appointment = await db.transaction().execute(async (trx) => {
        const rev = await nextRev(trx)
        const current = await trx
          .selectFrom('appointments')
          .select(['job_id', 'starts_at', 'ends_at', 'version'])
          .where('id', '=', id)
          .executeTakeFirst()
        if (!current) throw appointmentNotFound()
        checkVersion('appointment', current.version, expected)
        const wasHeld = await heldInWindow(trx, current.job_id, ctx.now())
        const startsAt = patch.startsAt ? patch.startsAt : current.starts_at
        const endsAt = patch.endsAt ? patch.endsAt : current.ends_at
        // The same rule as the schema's (and the technician's appointment.reschedule), on the
        // times the row will hold: a patch of one end is checked against the stored other.
        if (!endsAfterStarts({ startsAt, endsAt })) {
          throw new HttpError(400, 'invalid_request', 'endsAt must be after startsAt')
        }
        await trx
          .updateTable('appointments')
          .set({
            starts_at: startsAt,
            ends_at: endsAt,
            ...(patch.status !== undefined && { status: patch.status }),
            version: current.version + 1,
            rev,
            updated_at: ctx.now().toISOString(),
          })
          .where('id', '=', id)
          .execute()
        const job = await loadJob(trx, current.job_id)
        technicianId = job.technician_id
        await restampJob(trx, job, rev)
        await dropIfMovedOut(trx, job, rev, ctx.now(), wasHeld)
        return loadAppointment(trx, id)
      })
      ctx.changes.publish({ users: [technicianId] })
      setEntityTag(reply, appointment.version)
      return { appointment: toAppointment(appointment) }
    },
  )
}

function appointmentNotFound(): HttpError {
  return new HttpError(404, 'not_found', 'No appointment with this id.')
}

async function loadJob(trx: Transaction<Database>, jobId: string) {
  const job = await trx
    .selectFrom('jobs')
    .select(['id', 'number', 'customer_id', 'technician_id'])
    .where('id', '=', jobId)
    .executeTakeFirst()
  if (!job) throw new HttpError(404, 'not_found', 'No job with this id.')
  return job
}

function loadAppointment(trx: Transaction<Database>, id: string) {
  return trx
    .selectFrom('appointments')
    .select(appointmentColumns)
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}
