import * as v from 'valibot'
import { Id, IsoDateTime, text } from './fields'

/**
 * The named actions a device queues while offline and pushes later. One schema per action,
 * used by both the device (before the action is saved) and the server (before it is
 * applied), so the two can never disagree about what is valid.
 *
 * Entities created on the device carry their final id in the args, so a later action that
 * refers to them (a payment on an invoice made offline) needs no id remapping.
 */
export const NoteAdd = v.strictObject({
  id: Id,
  jobId: Id,
  body: text(10_000),
  createdAt: IsoDateTime,
})

export const mutationSchemas = {
  'note.add': NoteAdd,
} as const

export type MutationName = keyof typeof mutationSchemas
export const MUTATION_NAMES = Object.keys(mutationSchemas) as MutationName[]
export type MutationArgs<N extends MutationName> = v.InferOutput<(typeof mutationSchemas)[N]>

/** One queued action as it travels in a push. `seq` is the device's order of making them. */
export type Mutation = {
  [N in MutationName]: { id: string; seq: number; name: N; args: MutationArgs<N>; at: string }
}[MutationName]

/** Validates one action's args; returns the parsed args or the first problem in words. */
export function parseMutationArgs<N extends MutationName>(
  name: N,
  args: unknown,
): { ok: true; args: MutationArgs<N> } | { ok: false; reason: string } {
  const result = v.safeParse(mutationSchemas[name], args)
  if (result.success) return { ok: true, args: result.output as MutationArgs<N> }
  const issue = result.issues[0]
  const path = issue.path?.map((p) => String(p.key)).join('.')
  return { ok: false, reason: path ? `${path} ${issue.message}` : issue.message }
}
