import type { FormAnswer, FormField } from '../../protocol/entities'
import { mergeEdit } from '../../protocol/merge'
import { editOutcome } from './edits'
import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * jobForm.answer: each answered question is one field of the edit (a blank is null), merged on
 * its own (see edits.ts); answers the technician did not touch keep the office's values. Answers
 * must fit their question's type.
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

  const fields = new Map((JSON.parse(form.fields) as FormField[]).map((f) => [f.id, f]))
  for (const [key, answer] of Object.entries(args.answers)) {
    const field = fields.get(key)
    if (!field) return reject('invalid', `The ${form.name} form has no field ${key}.`)
    const problem = answerProblem(field, answer)
    if (problem) return reject('invalid', `"${field.label}" ${problem}.`)
  }

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

function answerProblem(field: FormField, answer: FormAnswer): string | null {
  if (answer === null) return null
  switch (field.type) {
    case 'text':
      return typeof answer === 'string' ? null : 'needs text'
    case 'number':
      return typeof answer === 'number' && Number.isFinite(answer) ? null : 'needs a number'
    case 'yesno':
      return typeof answer === 'boolean' ? null : 'needs yes or no'
    case 'choice':
      return typeof answer === 'string' && (field.options ?? []).includes(answer)
        ? null
        : `must be one of ${(field.options ?? []).join(', ')}`
  }
}
