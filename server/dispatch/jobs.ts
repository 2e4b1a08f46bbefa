import type { FastifyInstance } from 'fastify'
import type { Updateable } from 'kysely'
import { isId } from '../../protocol/fields'
import { requireRole } from '../auth/guard'
import type { AppContext } from '../context'
import { restampJob, tombstoneJobFor } from '../db/restamp'
import { jobColumns, toJob, toNote } from '../db/rows'
import type { JobsTable } from '../db/schema'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { nextRev } from '../sync/revs'
import { jobNotes } from './jobNotes'
import { checkVersion, expectedVersion, setEntityTag } from './precondition'
import { JobListQuery, PatchJob } from './schemas'

const jobNotFound = () => new HttpError(404, 'not_found', 'No job with this id.')

/** Office routes on jobs: list, edit and reassign, and read a job's notes. */
export function registerDispatchJobRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely

  app.get('/api/dispatch/jobs', async (request) => {
    requireRole(request, 'dispatcher')
    const { technicianId } = parseInput(JobListQuery, request.query)
    const rows = await db
      .selectFrom('jobs')
      .select(jobColumns)
      .$if(technicianId !== undefined, (qb) =>
        qb.where('technician_id', '=', technicianId as string),
      )
      .orderBy('number')
      .execute()
    return { jobs: rows.map(toJob) }
  })

  app.get<{ Params: { id: string } }>('/api/dispatch/jobs/:id/notes', async (request) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    if (!isId(id)) throw jobNotFound()
    const job = await db.selectFrom('jobs').select('id').where('id', '=', id).executeTakeFirst()
    if (!job) throw jobNotFound()
    const rows = await jobNotes(db, id)
    return { notes: rows.map(toNote) }
  })

  app.patch<{ Params: { id: string } }>('/api/dispatch/jobs/:id', async (request, reply) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    if (!isId(id)) throw jobNotFound()
    const { baseVersion, ...patch } = parseInput(PatchJob, request.body)
    const expected = expectedVersion(request, baseVersion)
    const now = ctx.now().toISOString()

    let before = ''
    const job = await db.transaction().execute(async (trx) => {
      const rev = await nextRev(trx)
      const current = await trx
        .selectFrom('jobs')
        .select(jobColumns)
        .where('id', '=', id)
        .executeTakeFirst()
      if (!current) throw jobNotFound()
      checkVersion('job', current.version, expected)
      before = current.technician_id

      const reassigned =
        patch.technicianId !== undefined && patch.technicianId !== current.technician_id
      if (reassigned) {
        const tech = await trx
          .selectFrom('users')
          .select('role')
          .where('id', '=', patch.technicianId as string)
          .executeTakeFirst()
        if (tech?.role !== 'technician') {
          throw new HttpError(400, 'invalid_request', 'technicianId is not a technician.')
        }
      }

      const update: Updateable<JobsTable> = {
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.status !== undefined && { status: patch.status }),
        ...(reassigned && { technician_id: patch.technicianId }),
        version: current.version + 1,
        rev,
        updated_at: now,
      }
      await trx.updateTable('jobs').set(update).where('id', '=', id).execute()
      if (reassigned) {
        // One transaction: the old technician's tombstones and the new one's re-stamped rows
        // carry the same revision, so no pull can see one without the other.
        await tombstoneJobFor(trx, current, current.technician_id, rev)
        await restampJob(trx, current, rev)
      }
      return trx
        .selectFrom('jobs')
        .select(jobColumns)
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    })
    // A reassigned job leaves one technician's devices (tombstones) and reaches another's.
    ctx.changes.publish({ users: [...new Set([before, job.technician_id])] })
    setEntityTag(reply, job.version)
    return { job: toJob(job) }
  })
}
