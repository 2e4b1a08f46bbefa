import type { FastifyInstance } from 'fastify'
import type { FormField } from '../../protocol/entities'
import { isId } from '../../protocol/fields'
import { requireRole } from '../auth/guard'
import type { AppContext } from '../context'
import { jobFormColumns, toJobForm } from '../db/rows'
import { HttpError } from '../http/errors'
import { parseInput } from '../http/validate'
import { technicianOf } from '../live/scope'
import { formAnswersProblem } from '../rules/formAnswers'
import { nextRev } from '../sync/revs'
import { notFound } from './notFound'
import { checkVersion, expectedVersion, setEntityTag } from './precondition'
import { PatchForm } from './schemas'

/**
 * The office answers a job form: the answers it sends replace those fields' values (the others
 * keep theirs), version + 1 and a new rev, so a technician's later answer to the same field meets
 * it as a Conflict. Answers must fit the form's fields by the same rule as the technician's
 * jobForm.answer (server/rules/formAnswers.ts).
 */
export function registerDispatchFormRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.db.kysely

  app.patch<{ Params: { id: string } }>('/api/dispatch/forms/:id', async (request, reply) => {
    requireRole(request, 'dispatcher')
    const { id } = request.params
    if (!isId(id)) throw notFound('form')
    const patch = parseInput(PatchForm, request.body)
    const expected = expectedVersion(request, patch.baseVersion)
    let users: string[] = []
    const row = await db.transaction().execute(async (trx) => {
      const rev = await nextRev(trx)
      const current = await trx
        .selectFrom('job_forms')
        .select(['name', 'fields', 'answers', 'version', 'job_id'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (!current) throw notFound('form')
      checkVersion('form', current.version, expected)
      const fields = JSON.parse(current.fields) as FormField[]
      const problem = formAnswersProblem({ name: current.name, fields }, patch.answers)
      if (problem) throw new HttpError(400, 'invalid_request', problem)
      const answers = { ...(JSON.parse(current.answers) as object), ...patch.answers }
      await trx
        .updateTable('job_forms')
        .set({
          answers: JSON.stringify(answers),
          version: current.version + 1,
          rev,
          updated_at: ctx.now().toISOString(),
        })
        .where('id', '=', id)
        .execute()
      users = await technicianOf(trx, current.job_id)
      return trx
        .selectFrom('job_forms')
        .select(jobFormColumns)
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    })
    ctx.changes.publish({ users })
    setEntityTag(reply, row.version)
    return { form: toJobForm(row) }
  })
}
