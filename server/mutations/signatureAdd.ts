import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * Signatures one job may hold. Each is an image of up to 500 KB that every device with the job
 * keeps; uploads have a quota (blobs/quota.ts), signatures had none, so one account could push
 * them without end and fill every phone that pulls the job. A job is signed a handful of times.
 */
export const MAX_SIGNATURES_PER_JOB = 100

/**
 * signature.add: what was signed must belong to the job: the job itself, or one of its
 * estimates or invoices; at most MAX_SIGNATURES_PER_JOB on a job (`limit_reached`, for this
 * action alone). The count cannot be raced past: every push holds the revision lock.
 */
export const applySignatureAdd: ApplyFn<'signature.add'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection
  const { job } = access

  const existing = await ctx.trx
    .selectFrom('signatures')
    .select(['job_id', 'subject_type', 'subject_id', 'signer_name', 'signed_at', 'image'])
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    // The same signature again writes nothing; anything else under its id is refused.
    const same =
      existing.job_id === args.jobId &&
      existing.subject_type === args.subjectType &&
      existing.subject_id === args.subjectId &&
      existing.signer_name === args.signerName &&
      existing.signed_at === args.signedAt &&
      existing.image === args.image
    if (same) return { ok: true }
    return reject('conflict', 'Another signature already uses this id.')
  }

  if (args.subjectType === 'job') {
    if (args.subjectId !== args.jobId) {
      return reject('invalid', `A signature for Job #${job.number} must name that job.`)
    }
  } else {
    const table = args.subjectType === 'estimate' ? 'estimates' : 'invoices'
    // On this job only: another job's document answers as if it did not exist (see
    // documentCreate.ts: naming it told a technician what a job they cannot see holds).
    const subject = await ctx.trx
      .selectFrom(table)
      .select('id')
      .where('id', '=', args.subjectId)
      .where('job_id', '=', args.jobId)
      .executeTakeFirst()
    if (!subject) {
      return reject('not_found', `This ${args.subjectType} is not on Job #${job.number}.`)
    }
  }

  const held = await ctx.trx
    .selectFrom('signatures')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('job_id', '=', args.jobId)
    .executeTakeFirstOrThrow()
  if (Number(held.n) >= MAX_SIGNATURES_PER_JOB) {
    return reject(
      'limit_reached',
      `Job #${job.number} already has ${MAX_SIGNATURES_PER_JOB} signatures, the most a job can hold.`,
    )
  }

  await ctx.trx
    .insertInto('signatures')
    .values({
      id: args.id,
      job_id: args.jobId,
      subject_type: args.subjectType,
      subject_id: args.subjectId,
      signer_name: args.signerName,
      signed_at: args.signedAt,
      image: args.image,
      rev: ctx.rev,
    })
    .execute()
  return { ok: true }
}
