// @ts-check
import { createHash, randomUUID } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'
import { FORM_FIELD_IDS } from './company.mjs'
import { fakeJpeg, pngDataUrl } from './png.mjs'

/**
 * The actions a simulated technician takes, as the app would queue them (protocol/mutations.ts):
 * a note, a job status change, a photo (bytes uploaded on their own request, then
 * attachment.add), a job-form answer. Edits carry the device's own latest value as their base,
 * as the app's optimistic copy does, so they never conflict with the device's earlier edits.
 *
 * Devices act only on their even-numbered jobs; the office (the simulated dispatcher) moves
 * odd-numbered ones between technicians. So no action is refused because its job moved away
 * meanwhile, and "every action applied exactly once" is a fair check.
 */
export const KINDS = /** @type {const} */ (['note', 'status', 'photo', 'form'])
/** @typedef {(typeof KINDS)[number]} Kind */

const NEXT_STATUS = /** @type {Record<string, string>} */ ({
  scheduled: 'in_progress',
  in_progress: 'on_hold',
  on_hold: 'in_progress',
  completed: 'in_progress',
  cancelled: 'scheduled',
})
const THUMB = pngDataUrl(8, 6, 3)

/**
 * @typedef {{ id: string, seq: number, name: string, args: any, at: string }} Mutation
 * @typedef {{ mutation: Mutation, kind: Kind, jobId: string, file?: { id: string, bytes: Buffer, sha256: string } }} Action
 * @typedef {{ userId: string, local: Map<string, any>, rng: () => number, nextSeq: () => number }} Actor
 */

/** @param {Record<Kind, number>} mix @param {() => number} rng @returns {Kind} */
export function pickKind(mix, rng) {
  const total = KINDS.reduce((n, k) => n + (mix[k] ?? 0), 0)
  let r = rng() * total
  for (const k of KINDS) {
    r -= mix[k] ?? 0
    if (r < 0) return k
  }
  return 'note'
}

/** @param {Actor} d @returns {any[]} the device's own even-numbered jobs */
function myJobs(d) {
  const jobs = []
  for (const [key, row] of d.local) {
    if (key.startsWith('jobs:') && row.technicianId === d.userId && row.number % 2 === 0)
      jobs.push(row)
  }
  return jobs
}

/**
 * One action of `kind` on one of the device's jobs, applied to its local copy at once (as the
 * app does), or null when it has no job for it (e.g. no form on its jobs).
 * @param {Actor} d @param {Kind} kind @returns {Action | null}
 */
export function makeAction(d, kind) {
  const jobs = myJobs(d)
  if (jobs.length === 0) return null
  const job = jobs[Math.floor(d.rng() * jobs.length)]
  const at = new Date().toISOString()
  /** @param {string} name @param {unknown} args */
  // Ids as the app makes them (offline/perform.ts, src/data/commands.ts): UUIDv7 for actions and
  // notes (time-ordered, so their index entries go to the end), v4 for photos.
  const mutation = (name, args) => ({ id: uuidv7(), seq: d.nextSeq(), name, args, at })

  if (kind === 'status') {
    const next = NEXT_STATUS[job.status] ?? 'in_progress'
    const m = mutation('job.update', {
      jobId: job.id,
      baseVersion: job.version,
      changes: { status: next },
      base: { status: job.status },
    })
    job.status = next
    return { mutation: m, kind, jobId: job.id }
  }
  if (kind === 'form') {
    const forms = [...d.local.values()].filter(
      (r) => r && Array.isArray(r.fields) && jobs.some((j) => j.id === r.jobId),
    )
    const form = forms[Math.floor(d.rng() * forms.length)]
    if (!form) return makeAction(d, 'note')
    const field = /** @type {string} */ (FORM_FIELD_IDS[1])
    const old = form.answers[field] ?? null
    const value = typeof old === 'number' ? old + 1 : 1
    const m = mutation('jobForm.answer', {
      formId: form.id,
      baseVersion: form.version,
      answers: { [field]: value },
      base: { [field]: old },
    })
    form.answers = { ...form.answers, [field]: value }
    return { mutation: m, kind, jobId: form.jobId }
  }
  if (kind === 'photo') {
    const id = randomUUID()
    const bytes = fakeJpeg(20_000 + Math.floor(d.rng() * 40_000), Math.floor(d.rng() * 2 ** 31))
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const m = mutation('attachment.add', {
      id,
      jobId: job.id,
      kind: 'photo',
      filename: `IMG_${Math.floor(d.rng() * 9000 + 1000)}.jpg`,
      mimeType: 'image/jpeg',
      size: bytes.length,
      sha256,
      takenAt: at,
      thumbnail: THUMB,
    })
    return { mutation: m, kind, jobId: job.id, file: { id, bytes, sha256 } }
  }
  const m = mutation('note.add', {
    id: uuidv7(),
    jobId: job.id,
    body: `Fleet note ${d.userId.slice(0, 8)} #${Math.floor(d.rng() * 1e6)}: checked the unit, all good.`,
    createdAt: at,
  })
  return { mutation: m, kind: 'note', jobId: job.id }
}
