import type { ApplyFn } from './types'
import { reject } from './types'

/** Labels one technician may create in any rolling 24 hours. */
export const MAX_LABELS_PER_DAY = 50
const DAY_MS = 24 * 60 * 60 * 1000

/**
 * label.create: a new company-wide label. The same label again (same id, name and colour) is a
 * no-op; the same id with another name or colour is refused `conflict`, as for every create. A
 * name another label already uses is accepted: labels are "unique-ish" by design, so a label
 * made offline is never lost just because someone else made one with the same name; the office
 * can tidy duplicates.
 *
 * Labels go to every device of the company, so one account creating thousands would clutter
 * every technician's phone: a technician may create MAX_LABELS_PER_DAY in a rolling day; beyond
 * that the action is rejected `rate_limited` (Failed in Offline Actions, with the sentence).
 * The count cannot be raced past by two pushes at once: every push takes the revision counter's
 * lock (sync/revs.ts) before any apply runs, so the second push counts after the first committed.
 * The office is not limited (it is trusted with every job, see SECURITY.md) and labels made
 * before the limit existed have no creator and count against nobody.
 */
export const applyLabelCreate: ApplyFn<'label.create'> = async (ctx, args) => {
  const existing = await ctx.trx
    .selectFrom('labels')
    .select(['name', 'color'])
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    // The same label again (another device of the same technician, an action made twice):
    // nothing to write. Another label under this id: refused, as every create is, instead of
    // answering "applied" for a name and colour the server does not hold.
    if (existing.name === args.name && existing.color === args.color.toLowerCase()) {
      return { ok: true }
    }
    return reject('conflict', 'Another label already uses this id.')
  }

  if (ctx.user.role !== 'dispatcher') {
    const since = new Date(ctx.now.getTime() - DAY_MS).toISOString()
    const row = await ctx.trx
      .selectFrom('labels')
      .select((eb) => eb.fn.countAll().as('made'))
      .where('created_by', '=', ctx.user.id)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow()
    if (Number(row.made) >= MAX_LABELS_PER_DAY) {
      return reject(
        'rate_limited',
        `You have created ${MAX_LABELS_PER_DAY} labels in the last 24 hours, the most allowed. Use an existing label, or try again tomorrow.`,
      )
    }
  }

  await ctx.trx
    .insertInto('labels')
    .values({
      id: args.id,
      name: args.name,
      color: args.color.toLowerCase(),
      rev: ctx.rev,
      created_by: ctx.user.id,
      created_at: ctx.now.toISOString(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  return { ok: true }
}
