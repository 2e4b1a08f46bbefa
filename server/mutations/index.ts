import type { MutationName } from '../../protocol/mutations'
import { applyAppointmentCreate } from './appointmentCreate'
import { applyAppointmentReschedule } from './appointmentReschedule'
import { applyAttachmentAdd } from './attachmentAdd'
import { applyEstimateCreate, applyInvoiceCreate } from './documentCreate'
import { applyEstimateUpdate } from './estimateUpdate'
import { applyInvoiceUpdate } from './invoiceUpdate'
import { applyJobAddLabel } from './jobAddLabel'
import { applyJobFormAnswer } from './jobFormAnswer'
import { applyJobRemoveLabel } from './jobRemoveLabel'
import { applyJobUpdate } from './jobUpdate'
import { applyLabelCreate } from './labelCreate'
import { applyNoteAdd } from './noteAdd'
import { applyPaymentAdd } from './paymentAdd'
import { applySignatureAdd } from './signatureAdd'
import type { ApplyFn } from './types'

/**
 * The apply function of every mutation the protocol defines. The mapped type makes a new entry
 * in protocol/mutations.ts a compile error here until its apply function exists.
 */
export const applyFns: { [N in MutationName]: ApplyFn<N> } = {
  'note.add': applyNoteAdd,
  'attachment.add': applyAttachmentAdd,
  'payment.add': applyPaymentAdd,
  'label.create': applyLabelCreate,
  'job.addLabel': applyJobAddLabel,
  'job.removeLabel': applyJobRemoveLabel,
  'signature.add': applySignatureAdd,
  'appointment.create': applyAppointmentCreate,
  'appointment.reschedule': applyAppointmentReschedule,
  'estimate.create': applyEstimateCreate,
  'estimate.update': applyEstimateUpdate,
  'invoice.create': applyInvoiceCreate,
  'invoice.update': applyInvoiceUpdate,
  'job.update': applyJobUpdate,
  'jobForm.answer': applyJobFormAnswer,
}
