import fc from 'fast-check'
import type { MutationName } from '../../protocol/mutations'
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
import type { Flavours, Step } from './step'
import { appointmentCreate, appointmentReschedule } from './visitActions'

export type { Flavours, Step } from './step'

/**
 * The arbitraries of every action in protocol/mutations.ts's mutationSchemas, in both flavours
 * (valid / nearValid). The mapped type makes a new action a compile error here until it has its
 * arbitraries. Ids of existing rows come from the seeded database (`pools`).
 */
export function mutationArbitraries(pools: Pools): { [N in MutationName]: Flavours } {
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
