import type { MutationName } from '../../protocol/mutations'
import { appointmentCreate, appointmentReschedule } from './appointmentActions'
import { attachmentAdd } from './attachmentAdd'
import {
  estimateCreate,
  estimateUpdate,
  invoiceCreate,
  invoiceUpdate,
  jobUpdate,
} from './documentActions'
import { jobFormAnswer } from './jobFormAnswer'
import { jobAddLabel, jobRemoveLabel, labelCreate } from './labelActions'
import type { LocalAction } from './localAction'
import { noteAdd } from './noteAdd'
import { paymentAdd } from './paymentAdd'
import { signatureAdd } from './signatureAdd'

/** Every action the device can queue, by the name it travels under. */
export const localActions: { [N in MutationName]: LocalAction<N> } = {
  'note.add': noteAdd,
  'attachment.add': attachmentAdd,
  'payment.add': paymentAdd,
  'label.create': labelCreate,
  'job.addLabel': jobAddLabel,
  'job.removeLabel': jobRemoveLabel,
  'signature.add': signatureAdd,
  'appointment.create': appointmentCreate,
  'appointment.reschedule': appointmentReschedule,
  'estimate.create': estimateCreate,
  'estimate.update': estimateUpdate,
  'invoice.create': invoiceCreate,
  'invoice.update': invoiceUpdate,
  'job.update': jobUpdate,
  'jobForm.answer': jobFormAnswer,
}

/** Looks up an action when the name is only known at run time (queue entries). */
// biome-ignore lint/suspicious/noExplicitAny: entries pair each name with its own args
export const actionFor = (name: MutationName) => localActions[name] as unknown as LocalAction<any>
