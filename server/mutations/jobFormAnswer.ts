import type { FormAnswer, FormField } from '../../protocol/entities'
import { mergeEdit } from '../../protocol/merge'
import { formAnswersProblem } from '../rules/formAnswers'
import { editOutcome } from './edits'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * jobForm.answer: each answered question is one field of the edit (a blank is null), merged on
 * its own (see edits.ts); answers the technician did not touch keep the office's values. Answers
 * must fit their question's type, by the rule the office's edits share (server/rules/formAnswers.ts).
 */
export const applyJobFormAnswer: ApplyFn<'jobForm.answer'> = async (ctx, args) => {
  const form = await ctx.trx
    .selectFrom('job_forms')
    .select(['id', 'job_id', 'name', 'fields', 'answers', 'version', 'updated_at'])
    .where('id', '=', args.formId)
    .executeTakeFirst()
  if (!form) return reject('not_found', 'This form no longer exists on the server.')
  const access = await loadWritableJob(ctx, form.job_id)
  if ('rejection' in access) return access.rejection

  const problem = formAnswersProblem(
    { name: form.name, fields: JSON.parse(form.fields) as FormField[] },
    args.answers,
  )
  if (problem) return reject('invalid', problem)

  const current = JSON.parse(form.answers) as Record<string, FormAnswer>
  const merge = mergeEdit(current, args.answers, args.base)
  let version = form.version
  if (merge.changed.length > 0) {
    version++
    await ctx.trx
      .updateTable('job_forms')
      .set({
        answers: JSON.stringify({ ...current, ...merge.values }),
        version,
        rev: ctx.rev,
        updated_at: ctx.now.toISOString(),
      })
      .where('id', '=', form.id)
      .execute()
  }
  const what = `the ${form.name} form of Job #${access.job.number}`
  return editOutcome(what, merge, version, form.updated_at)
}
