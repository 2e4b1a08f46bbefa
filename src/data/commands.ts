import { v4 as uuidv4, v7 as uuidv7 } from 'uuid'
import { discardEntry, resolveConflict, retryEntry } from '../../offline/outbox'
import type { OutboxEntry } from '../../offline/outboxEntry'
import { type PerformOptions, perform } from '../../offline/perform'
import type {
  Appointment,
  Estimate,
  FormAnswer,
  Invoice,
  Job,
  JobForm,
  LineItem,
  Note,
  PaymentMethod,
  SignatureSubject,
} from '../../protocol/entities'
import { type Choice, clashKey } from '../../protocol/merge'
import { formatCents, invoiceBalanceCents } from '../../protocol/money'
import { MAX_FILE_BYTES, type MutationArgs, type MutationName } from '../../protocol/mutations'
import { preparePhoto, sha256Hex } from '../media/photo'
import { announce, SAVED_OFFLINE, SAVED_ONLINE, showToast } from './alerts'
import { connection } from './connection'
import { countedPayments, markJustQueued } from './outboxState'
import { activeDb, user } from './session'
import { settings } from './settings'
import { requestBackgroundSync } from './swBridge'
import { syncNow } from './sync'

export type CommandResult = { ok: true } | { ok: false; message: string }
/** What was committed: the outbox entry, written in one transaction with the row it applied. */
type Committed = { ok: true; entry?: OutboxEntry }

const fail = (message: string): CommandResult => {
  showToast(message, 'error', 8_000)
  return { ok: false, message }
}

/**
 * Every change a technician makes goes through here: saved on the device at once (with its
 * queue entry), then uploaded by Background Sync where the browser has it, and by the page
 * right away when the connection is up.
 */
async function run(
  name: MutationName,
  args: unknown,
  opts?: PerformOptions,
): Promise<Committed | { ok: false; message: string }> {
  const db = activeDb()
  const me = user.value
  if (!db || !me) return fail('Sign in first.')
  const online = connection.value === 'online'
  if (!online && !settings.value.offlineEnabled) {
    return fail(
      "You're offline and Offline Enabled is off, so this needs a connection. Turn on Offline Enabled in Settings → Offline Settings to save it on this device.",
    )
  }
  const result = await perform(db, me, name, args, opts)
  if (!result.ok) return fail(result.reason)
  markJustQueued(result.entry.entityKeys)
  if (!online) showToast(SAVED_OFFLINE, 'offline')
  else announce(SAVED_ONLINE)
  void requestBackgroundSync()
  if (connection.value !== 'offline') void syncNow()
  return { ok: true, entry: result.entry }
}

const now = () => new Date().toISOString()

/**
 * Saves a note; once it is committed (note row and outbox entry, one transaction) the answer
 * carries the note as stored, so the screen can show it at once instead of after the live
 * query's round trip (issue 16: tap → durable + visible in one frame).
 */
export async function addNote(
  jobId: string,
  body: string,
): Promise<CommandResult & { note?: Note }> {
  const me = user.value
  const result = await run('note.add', { id: uuidv7(), jobId, body, createdAt: now() })
  if (!result.ok || !result.entry || !me) return result
  const args = result.entry.args as MutationArgs<'note.add'>
  const note: Note = {
    id: args.id,
    jobId: args.jobId,
    body: args.body,
    createdAt: args.createdAt,
    authorId: me.id,
    authorName: me.name,
  }
  return { ok: true, note }
}

export async function addPhoto(jobId: string, file: File): Promise<CommandResult> {
  if (connection.value !== 'online' && !settings.value.offlinePhotosEnabled) {
    return fail(
      "You're offline. To add photos while offline, turn on Offline Photos Enabled in Settings → Offline Settings.",
    )
  }
  const photo = await preparePhoto(file)
  if (photo.blob.size > MAX_FILE_BYTES) return fail('This photo is larger than 20 MB.')
  return run(
    'attachment.add',
    {
      id: uuidv4(),
      jobId,
      kind: 'photo',
      filename: file.name || 'photo.jpg',
      mimeType: photo.mimeType,
      size: photo.blob.size,
      sha256: await sha256Hex(photo.blob),
      takenAt: new Date(file.lastModified || Date.now()).toISOString(),
      thumbnail: photo.thumbnail,
    },
    { blob: photo.blob },
  )
}

export async function addPdf(jobId: string, file: File): Promise<CommandResult> {
  if (file.type !== 'application/pdf') return fail('Only PDF files can be attached here.')
  if (file.size > MAX_FILE_BYTES) return fail('This PDF is larger than 20 MB.')
  return run(
    'attachment.add',
    {
      id: uuidv4(),
      jobId,
      kind: 'pdf',
      filename: file.name || 'document.pdf',
      mimeType: 'application/pdf',
      size: file.size,
      sha256: await sha256Hex(file),
      takenAt: now(),
      thumbnail: null,
    },
    { blob: file },
  )
}

export async function recordPayment(
  invoice: Invoice,
  p: { method: PaymentMethod; amountCents: number; reference: string | null; receivedAt: string },
): Promise<CommandResult> {
  const db = activeDb()
  if (!db) return fail('Sign in first.')
  const balance = invoiceBalanceCents(
    invoice,
    countedPayments(await db.payments.where('invoiceId').equals(invoice.id).toArray()),
  )
  if (p.amountCents > balance) {
    return fail(
      `A payment of ${formatCents(p.amountCents)} is more than the balance of ${formatCents(balance)}.`,
    )
  }
  // Protocol 2: no reference is no key, not null (protocol/version.ts).
  const { reference, ...rest } = p
  return run('payment.add', {
    id: uuidv4(),
    invoiceId: invoice.id,
    ...rest,
    ...(reference ? { reference } : {}),
  })
}

/** A new label, applied to the job: two actions, queued in that order. */
export async function createLabelOnJob(
  jobId: string,
  name: string,
  color: string,
): Promise<CommandResult> {
  const id = uuidv4()
  const created = await run('label.create', { id, name, color })
  return created.ok ? run('job.addLabel', { jobId, labelId: id }) : created
}

export const addLabel = (jobId: string, labelId: string) => run('job.addLabel', { jobId, labelId })
export const removeLabel = (jobId: string, labelId: string) =>
  run('job.removeLabel', { jobId, labelId })

export function addSignature(
  jobId: string,
  subjectType: SignatureSubject,
  subjectId: string,
  signerName: string,
  image: string,
): Promise<CommandResult> {
  return run('signature.add', {
    id: uuidv4(),
    jobId,
    subjectType,
    subjectId,
    signerName,
    signedAt: now(),
    image,
  })
}

export function createAppointment(jobId: string, startsAt: string, endsAt: string) {
  return run('appointment.create', { id: uuidv4(), jobId, startsAt, endsAt })
}

export function rescheduleAppointment(a: Appointment, startsAt: string, endsAt: string) {
  return run('appointment.reschedule', {
    appointmentId: a.id,
    baseVersion: a.version,
    startsAt,
    endsAt,
    base: { startsAt: a.startsAt, endsAt: a.endsAt },
  })
}

/** Only the fields that really changed travel, each with the value it replaces. */
function diff<T extends object>(current: T, next: Partial<T>) {
  const changes: Record<string, unknown> = {}
  const base: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(next)) {
    const old = (current as Record<string, unknown>)[key]
    if (JSON.stringify(old) !== JSON.stringify(value)) {
      changes[key] = value
      base[key] = old
    }
  }
  return Object.keys(changes).length > 0 ? { changes, base } : null
}

export function updateJob(job: Job, next: Partial<Pick<Job, 'title' | 'description' | 'status'>>) {
  const d = diff(job, next)
  return d ? run('job.update', { jobId: job.id, baseVersion: job.version, ...d }) : ok()
}

export function updateEstimate(
  e: Estimate,
  next: Partial<Pick<Estimate, 'lineItems' | 'status' | 'taxRateBps'>>,
) {
  const d = diff(e, next)
  return d ? run('estimate.update', { estimateId: e.id, baseVersion: e.version, ...d }) : ok()
}

export function updateInvoice(
  i: Invoice,
  next: Partial<Pick<Invoice, 'lineItems' | 'taxRateBps'>>,
) {
  const d = diff(i, next)
  return d ? run('invoice.update', { invoiceId: i.id, baseVersion: i.version, ...d }) : ok()
}

export function answerForm(form: JobForm, answers: Record<string, FormAnswer>) {
  const changed: Record<string, FormAnswer> = {}
  const base: Record<string, FormAnswer> = {}
  for (const [k, v] of Object.entries(answers)) {
    const old = form.answers[k] ?? null
    if (old !== v) {
      changed[k] = v
      base[k] = old
    }
  }
  if (Object.keys(changed).length === 0) return ok()
  return run('jobForm.answer', {
    formId: form.id,
    baseVersion: form.version,
    answers: changed,
    base,
  })
}

async function nextNumber(prefix: 'E' | 'I', job: Job): Promise<string> {
  const db = activeDb()
  const table = prefix === 'E' ? db?.estimates : db?.invoices
  const count = (await table?.where('jobId').equals(job.id).count()) ?? 0
  return `${prefix}-${job.number}-${count + 1}`
}

export async function createEstimate(
  job: Job,
  lineItems: LineItem[],
  taxRateBps: number,
  id = uuidv4(),
) {
  const number = await nextNumber('E', job)
  return run('estimate.create', {
    id,
    jobId: job.id,
    number,
    lineItems,
    taxRateBps,
    createdAt: now(),
  })
}

export async function createInvoice(
  job: Job,
  lineItems: LineItem[],
  taxRateBps: number,
  estimateId: string | null,
  id = uuidv4(),
) {
  const number = await nextNumber('I', job)
  return run('invoice.create', {
    id,
    jobId: job.id,
    number,
    lineItems,
    taxRateBps,
    estimateId,
    createdAt: now(),
  })
}

export const newId = () => uuidv4()

function ok(): Promise<CommandResult> {
  return Promise.resolve({ ok: true })
}

async function withQueue(fn: (db: NonNullable<ReturnType<typeof activeDb>>) => Promise<void>) {
  const db = activeDb()
  if (!db) return
  await fn(db)
  void syncNow()
}

/** Offline Actions: Retry a Failed (or Conflict) action, in its place in the order. */
export const retryAction = (seq: number) => withQueue((db) => retryEntry(db, seq))
/** Offline Actions: Discard — drop the action and take its change back on the device. */
export const discardAction = (seq: number) =>
  withQueue(async (db) => (user.value ? discardEntry(db, user.value, seq) : undefined))
/** Conflict: keep the technician's value, sent again on top of the office's version. */
/**
 * Offline Actions: a Conflict resolved, one choice per clash (keyed by clashKey), 'mine' where no
 * choice was given.
 */
export const resolveConflictWith = (seq: number, choices: Record<string, Choice>) =>
  withQueue((db) => resolveConflict(db, seq, (c) => choices[clashKey(c)] ?? 'mine'))
