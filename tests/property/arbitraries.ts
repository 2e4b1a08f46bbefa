import fc from 'fast-check'
import * as v from 'valibot'
import { MUTATION_NAMES, type MutationName, mutationSchemas } from '../../protocol/mutations'
import type { Pools } from './catalog'
import {
  estimateCreate,
  estimateUpdate,
  invoiceCreate,
  invoiceUpdate,
  paymentAdd,
} from './documentActions'
import { jobFormAnswer } from './formActions'
import {
  attachmentAdd,
  jobLabel,
  jobUpdate,
  labelCreate,
  noteAdd,
  signatureAdd,
} from './jobActions'
import { toJsonText } from './json'
import type { Flavours, Step } from './step'
import { appointmentCreate, appointmentReschedule } from './visitActions'

export type { Flavours, Step } from './step'

/**
 * The arbitraries of every action in protocol/mutations.ts's mutationSchemas, in both flavours
 * (valid / nearValid). The mapped type makes a new action a compile error here until it has its
 * arbitraries. Ids of existing rows come from the seeded database (`pools`).
 *
 * `valid` keeps only what the shared schema accepts, whatever it accepts at the time: when the
 * schema is tightened (to refuse NUL, say), the property still pushes exactly what it lets
 * through. arbitraries.test.ts checks the generators still mostly produce accepted args.
 */
export function mutationArbitraries(pools: Pools): { [N in MutationName]: Flavours } {
  const generated = generatedArbitraries(pools)
  for (const name of MUTATION_NAMES) {
    const { valid } = generated[name]
    generated[name] = {
      ...generated[name],
      valid: valid.filter((step) => acceptedArgs(name, step.args)),
    }
  }
  return generated
}

/** Whether the shared schema accepts the args as the server receives them: through JSON text. */
export function acceptedArgs(name: MutationName, args: unknown): boolean {
  return v.is(mutationSchemas[name], JSON.parse(toJsonText(args)))
}

/** The arbitraries as generated, before `valid` is narrowed to what the schema accepts. */
export function generatedArbitraries(pools: Pools): { [N in MutationName]: Flavours } {
  return {
    'note.add': noteAdd(pools),
    'attachment.add': attachmentAdd(pools),
    'payment.add': paymentAdd(pools),
    'label.create': labelCreate(pools),
    'job.addLabel': jobLabel(pools, 'job.addLabel'),
    'job.removeLabel': jobLabel(pools, 'job.removeLabel'),
    'signature.add': signatureAdd(pools),
    'appointment.create': appointmentCreate(pools),
    'appointment.reschedule': appointmentReschedule(pools),
    'estimate.create': estimateCreate(pools),
    'estimate.update': estimateUpdate(pools),
    'invoice.create': invoiceCreate(pools),
    'invoice.update': invoiceUpdate(pools),
    'job.update': jobUpdate(pools),
    'jobForm.answer': jobFormAnswer(pools),
  }
}

/** A batch of 2–6 actions of any kinds and flavours, as a device's queue would push them. */
export function batchArbitrary(pools: Pools): fc.Arbitrary<Step[]> {
  const all = Object.values(mutationArbitraries(pools)).flatMap((f) => [f.valid, f.nearValid])
  return fc.array(fc.oneof(...all), { minLength: 2, maxLength: 6 })
}
