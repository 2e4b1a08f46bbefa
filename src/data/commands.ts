import { v4 as uuidv4, v7 as uuidv7 } from 'uuid'
import type { OutboxEntry } from '../../offline/outboxEntry'
import { type PerformOptions, perform } from '../../offline/perform'
import type {
  Appointment,
  FormAnswer,
  Job,
  JobForm,
  Note,
  SignatureSubject,
} from '../../protocol/entities'
import { MAX_FILE_BYTES, type MutationArgs, type MutationName } from '../../protocol/mutations'
import { preparePhoto, sha256Hex } from '../media/photo'
import { announce, SAVED_OFFLINE, SAVED_ONLINE, showToast } from './alerts'
import { changedFields } from './changedFields'
import { connection } from './connection'
import { markJustQueued } from './outboxState'
import { activeDb, user } from './session'
import { settings } from './settings'
import { requestBackgroundSync } from './swBridge'
import { syncNow } from './sync'

export type CommandResult = { ok: true } | { ok: false; message: string }
/** What was committed: the outbox entry, written in one transaction with the row it applied. */
type Committed = { ok: true; entry?: OutboxEntry }

export const fail = (message: string): CommandResult => {
  showToast(message, 'error', 8_000)
  return { ok: false, message }
}

/**
 * Every change a technician makes goes through here: saved on the device at once (with its
 * queue entry), then uploaded by Background Sync where the browser has it, and by the page
 * right away when the connection is up.
 */
export async function run(
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
  if (!online) showToast(SAVED_OFFLINE, 'offline', 4_000, true)
  else announce(SAVED_ONLINE)
  void requestBackgroundSync()
  if (connection.value !== 'offline') void syncNow()
  return { ok: true, entry: result.entry }
}

export const now = () => new Date().toISOString()

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

export function updateJob(job: Job, next: Partial<Pick<Job, 'title' | 'description' | 'status'>>) {
  const d = changedFields(job, next)
  return d ? run('job.update', { jobId: job.id, baseVersion: job.version, ...d }) : ok()
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

export const newId = () => uuidv4()

export function ok(): Promise<CommandResult> {
  return Promise.resolve({ ok: true })
}
