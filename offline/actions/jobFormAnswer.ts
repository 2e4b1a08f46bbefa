import type { FormAnswer } from '../../protocol/entities'
import { resolveEdit } from '../../protocol/merge'
import type { LocalDb } from '../localDb'
import { entityKey } from '../outboxEntry'
import { jobLabel } from './labels'
import type { LocalAction } from './localAction'

/** Job form answers: each answered field is its own field for merging and conflicts. */
export const jobFormAnswer: LocalAction<'jobForm.answer'> = {
  tables: (db) => [db.jobForms, db.jobs],
  async describe(db, args) {
    const form = await db.jobForms.get(args.formId)
    return {
      label: `${form?.name ?? 'Job form'} answers on ${form ? await jobLabel(db, form.jobId) : 'a job'}`,
      jobId: form?.jobId,
      entityKeys: [
        entityKey('jobForms', args.formId),
        ...(form ? [entityKey('jobs', form.jobId)] : []),
      ],
    }
  },
  async apply(db, args) {
    await setAnswers(db, args.formId, args.answers)
  },
  async revert(db, args) {
    await setAnswers(db, args.formId, args.base)
  },
  coalesce: (queued, next) =>
    queued.formId === next.formId
      ? {
          ...next,
          baseVersion: queued.baseVersion,
          answers: { ...queued.answers, ...next.answers },
          base: { ...next.base, ...queued.base },
        }
      : null,
  resolve(args, clashes, choose) {
    const { changes, base } = resolveEdit(args.answers, args.base, clashes, choose)
    return { ...args, answers: changes as typeof args.answers, base: base as typeof args.base }
  },
  async showChoice(db, args, clashes, choose) {
    const values: Record<string, FormAnswer> = {}
    for (const c of clashes)
      values[c.field] = (choose(c) === 'server' ? c.server : c.mine) as FormAnswer
    await setAnswers(db, args.formId, values)
  },
}

async function setAnswers(db: LocalDb, formId: string, values: Record<string, FormAnswer>) {
  const form = await db.jobForms.get(formId)
  if (form) await db.jobForms.update(formId, { answers: { ...form.answers, ...values } })
}
