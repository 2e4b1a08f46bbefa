import { entityKey } from '../outboxEntry'
import { editBehaviour } from './editAction'
import { jobLabel, nameDoc, nameJob } from './labels'
import type { LocalAction } from './localAction'

export const estimateCreate: LocalAction<'estimate.create'> = {
  tables: (db) => [db.estimates, db.jobs],
  async describe(db, args) {
    return {
      label: `Estimate ${args.number} on ${await jobLabel(db, args.jobId)}`,
      jobId: args.jobId,
      entityKeys: [entityKey('estimates', args.id), entityKey('jobs', args.jobId)],
    }
  },
  async apply(db, args) {
    await db.estimates.put({ ...args, status: 'draft', version: 0 })
  },
  async revert(db, args) {
    await db.estimates.delete(args.id)
  },
}

export const invoiceCreate: LocalAction<'invoice.create'> = {
  tables: (db) => [db.invoices, db.jobs],
  async describe(db, args) {
    return {
      label: `Invoice ${args.number} on ${await jobLabel(db, args.jobId)}`,
      jobId: args.jobId,
      entityKeys: [
        entityKey('invoices', args.id),
        entityKey('jobs', args.jobId),
        ...(args.estimateId ? [entityKey('estimates', args.estimateId)] : []),
      ],
      dependsOn: args.estimateId ? [entityKey('estimates', args.estimateId)] : [],
    }
  },
  async apply(db, args) {
    await db.invoices.put({ ...args, status: 'draft', version: 0 })
  },
  async revert(db, args) {
    await db.invoices.delete(args.id)
  },
}

export const estimateUpdate: LocalAction<'estimate.update'> = {
  tables: (db) => [db.estimates, db.jobs],
  ...editBehaviour({
    table: (db) => db.estimates,
    tableName: 'estimates',
    id: (a) => a.estimateId,
    async describe(db, a) {
      const doc = await db.estimates.get(a.estimateId)
      const job = doc && (await db.jobs.get(doc.jobId))
      return { label: `${nameDoc('Estimate', doc)} edited (${nameJob(job)})`, jobId: doc?.jobId }
    },
  }),
}

export const invoiceUpdate: LocalAction<'invoice.update'> = {
  tables: (db) => [db.invoices, db.jobs],
  ...editBehaviour({
    table: (db) => db.invoices,
    tableName: 'invoices',
    id: (a) => a.invoiceId,
    async describe(db, a) {
      const doc = await db.invoices.get(a.invoiceId)
      const job = doc && (await db.jobs.get(doc.jobId))
      return { label: `${nameDoc('Invoice', doc)} edited (${nameJob(job)})`, jobId: doc?.jobId }
    },
  }),
}

export const jobUpdate: LocalAction<'job.update'> = {
  tables: (db) => [db.jobs],
  ...editBehaviour({
    table: (db) => db.jobs,
    tableName: 'jobs',
    id: (a) => a.jobId,
    async describe(db, a) {
      return { label: `Job details of ${await jobLabel(db, a.jobId)}`, jobId: a.jobId }
    },
  }),
}
