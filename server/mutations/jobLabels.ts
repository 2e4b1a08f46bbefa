import type { ApplyContext } from './types'

/**
 * Rewrites a job's label ids (a JSON column) when they change: version and rev go up so the
 * job reaches devices again. Nothing is written when the list stays the same.
 */
export async function setJobLabels(
  ctx: ApplyContext,
  jobId: string,
  update: (ids: string[]) => string[],
): Promise<void> {
  const job = await ctx.trx
    .selectFrom('jobs')
    .select(['label_ids', 'version'])
    .where('id', '=', jobId)
    .executeTakeFirstOrThrow()
  const before = JSON.parse(job.label_ids) as string[]
  const after = update(before)
  if (after.length === before.length && after.every((id, i) => id === before[i])) return
  await ctx.trx
    .updateTable('jobs')
    .set({
      label_ids: JSON.stringify(after),
      version: job.version + 1,
      rev: ctx.rev,
      updated_at: ctx.now.toISOString(),
    })
    .where('id', '=', jobId)
    .execute()
}
