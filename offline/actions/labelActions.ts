import type { LocalDb } from '../localDb'
import { entityKey } from '../outboxEntry'
import { jobLabel } from './labels'
import type { LocalAction } from './localAction'

export const labelCreate: LocalAction<'label.create'> = {
  tables: (db) => [db.labels],
  async describe(_db, args) {
    return { label: `New label “${args.name}”`, entityKeys: [entityKey('labels', args.id)] }
  },
  async apply(db, args) {
    await db.labels.put(args)
  },
  async revert(db, args) {
    await db.labels.delete(args.id)
  },
}

async function setLabel(db: LocalDb, jobId: string, labelId: string, on: boolean) {
  const job = await db.jobs.get(jobId)
  if (!job) return
  const without = job.labelIds.filter((id) => id !== labelId)
  await db.jobs.update(jobId, { labelIds: on ? [...without, labelId] : without })
}

function labelOnJob<N extends 'job.addLabel' | 'job.removeLabel'>(on: boolean): LocalAction<N> {
  return {
    tables: (db) => [db.jobs, db.labels],
    async describe(db, args) {
      const label = await db.labels.get(args.labelId)
      const name = label ? `“${label.name}”` : 'A label'
      return {
        label: `Label ${name} ${on ? 'added to' : 'removed from'} ${await jobLabel(db, args.jobId)}`,
        jobId: args.jobId,
        // The label first: adding or removing it keeps its order, and a label whose creation
        // failed holds back its uses; the job's other actions do not wait for it.
        entityKeys: [entityKey('labels', args.labelId), entityKey('jobs', args.jobId)],
      }
    },
    apply: (db, args) => setLabel(db, args.jobId, args.labelId, on),
    revert: (db, args) => setLabel(db, args.jobId, args.labelId, !on),
  }
}

export const jobAddLabel = labelOnJob<'job.addLabel'>(true)
export const jobRemoveLabel = labelOnJob<'job.removeLabel'>(false)
