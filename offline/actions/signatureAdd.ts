import type { SignatureSubject } from '../../protocol/entities'
import type { LocalDb } from '../localDb'
import { entityKey } from '../outboxEntry'
import { jobLabel, nameDoc } from './labels'
import type { LocalAction } from './localAction'

const SUBJECT_TABLE = { job: 'jobs', estimate: 'estimates', invoice: 'invoices' } as const

async function subjectName(db: LocalDb, type: SignatureSubject, id: string, jobId: string) {
  if (type === 'estimate') return nameDoc('Estimate', await db.estimates.get(id))
  if (type === 'invoice') return nameDoc('Invoice', await db.invoices.get(id))
  return jobLabel(db, jobId)
}

export const signatureAdd: LocalAction<'signature.add'> = {
  tables: (db) => [db.signatures, db.jobs, db.estimates, db.invoices],
  async describe(db, args) {
    return {
      label: `Signature by ${args.signerName} on ${await subjectName(db, args.subjectType, args.subjectId, args.jobId)}`,
      jobId: args.jobId,
      entityKeys: [
        entityKey('signatures', args.id),
        entityKey(SUBJECT_TABLE[args.subjectType], args.subjectId),
        entityKey('jobs', args.jobId),
      ],
      // What is signed must be what the server holds: a failed estimate or invoice holds it back.
      dependsOn:
        args.subjectType === 'job'
          ? []
          : [entityKey(SUBJECT_TABLE[args.subjectType], args.subjectId)],
    }
  },
  async apply(db, args) {
    await db.signatures.put(args)
  },
  async revert(db, args) {
    await db.signatures.delete(args.id)
  },
}
