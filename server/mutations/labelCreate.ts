import type { ApplyFn } from './types'

/**
 * label.create: a new company-wide label. The same id again is a no-op (the first name and colour
 * stay). A name another label already uses is accepted: labels are "unique-ish" by design, so a
 * label made offline is never lost just because someone else made one with the same name; the
 * office can tidy duplicates.
 */
export const applyLabelCreate: ApplyFn<'label.create'> = async (ctx, args) => {
  await ctx.trx
    .insertInto('labels')
    .values({ id: args.id, name: args.name, color: args.color.toLowerCase(), rev: ctx.rev })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  return { ok: true }
}
