import type { MutationArgs, MutationName } from '../../protocol/mutations'
import { storedTimeProblem } from './iso'
import type { Entities } from './snapshot'
import { jsonEqual, preview } from './snapshot'

/**
 * What an applied action must have left in the store, from the schema's parsed output (trimmed
 * text, the args as valibot returns them): each named field equal, each time the same instant in
 * the canonical form, a created row that already existed left as it was.
 */
export type Want =
  /** `blank`: a missing value counts as null (a form answer never given is blank). */
  | { key: string; path: string[]; eq: unknown; blank?: true }
  | { key: string; path: string[]; time: string }
  /** A document number: as sent, or renumbered because the job already had it (see below). */
  | { key: string; path: string[]; docNumber: string }
  | { key: string; unchanged: true }
  | { key: string; label: string; on: boolean }

export interface WantContext {
  alexId: string
  before: Entities
  /** The job of a row named by id (seeded, or created earlier in the batch). */
  jobOf(id: string): string | undefined
  /** attachment.add: the size of the file uploaded for it. */
  uploadedSize?: number
}

type Args<N extends MutationName> = MutationArgs<N>

const SAME_AGAIN = new Set(['notes', 'payments', 'signatures', 'labels'])

export function wantsOf(name: MutationName, parsed: unknown, ctx: WantContext): Want[] {
  const fields = (
    key: string,
    values: Record<string, unknown>,
    times: Record<string, string>,
    numbers: Record<string, string> = {},
  ): Want[] => {
    // A create under an id already used, answered applied: for what nobody edits afterwards
    // (notes, payments, signatures, labels) it must have been the same row again, so the stored
    // row holds exactly what the action says; for what the office edits (appointments,
    // estimates, invoices) or whose file is the truth (attachments) the row is only left alone.
    if (ctx.before.has(key) && !SAME_AGAIN.has(key.slice(0, key.indexOf(':')))) {
      return [{ key, unchanged: true as const }]
    }
    return [
      ...Object.entries(values).map(([f, eq]) => ({ key, path: [f], eq })),
      ...Object.entries(times).map(([f, time]) => ({ key, path: [f], time })),
      ...Object.entries(numbers).map(([f, docNumber]) => ({ key, path: [f], docNumber })),
    ]
  }
  /**
   * An applied edit (no clash): a field sent with its base value unchanged keeps what the store
   * had (the technician did not change it); a changed one holds the technician's value. Line
   * items whose base is not what the store had were merged line by line with the office's
   * (protocol/merge.ts, which has its own property tests): not predicted here.
   */
  const edit = (
    key: string,
    c: Record<string, unknown>,
    base: Record<string, unknown>,
    at: (field: string) => string[] = (f) => [f],
  ): Want[] =>
    Object.entries(c).flatMap(([f, eq]): Want[] => {
      const was = base[f] ?? null
      const prior = valueAt(ctx.before.get(key), at(f))
      if (jsonEqual(eq, was)) return [{ key, path: at(f), eq: prior ?? null, blank: true }]
      if (f === 'lineItems' && !jsonEqual(was, prior)) return []
      return [{ key, path: at(f), eq, blank: true }]
    })

  switch (name) {
    case 'note.add': {
      const a = parsed as Args<'note.add'>
      return fields(
        `notes:${a.id}`,
        { jobId: a.jobId, authorId: ctx.alexId, body: a.body },
        { createdAt: a.createdAt },
      )
    }
    case 'attachment.add': {
      const a = parsed as Args<'attachment.add'>
      return fields(
        `attachments:${a.id}`,
        {
          jobId: a.jobId,
          kind: a.kind,
          filename: a.filename,
          mimeType: a.mimeType,
          // The stored file is the truth about the size.
          ...(ctx.uploadedSize !== undefined && { size: ctx.uploadedSize }),
          sha256: a.sha256,
          thumbnail: a.kind === 'photo' ? a.thumbnail : null,
        },
        { takenAt: a.takenAt },
      )
    }
    case 'payment.add': {
      const a = parsed as Args<'payment.add'>
      return fields(
        `payments:${a.id}`,
        {
          invoiceId: a.invoiceId,
          jobId: ctx.jobOf(a.invoiceId),
          method: a.method,
          amountCents: a.amountCents,
          reference: a.reference ?? null, // none is no key in the action, null when stored
        },
        { receivedAt: a.receivedAt },
      )
    }
    case 'label.create': {
      const a = parsed as Args<'label.create'>
      return fields(`labels:${a.id}`, { name: a.name, color: a.color.toLowerCase() }, {})
    }
    case 'job.addLabel':
    case 'job.removeLabel': {
      const a = parsed as Args<'job.addLabel'>
      return [{ key: `jobs:${a.jobId}`, label: a.labelId, on: name === 'job.addLabel' }]
    }
    case 'signature.add': {
      const a = parsed as Args<'signature.add'>
      return fields(
        `signatures:${a.id}`,
        {
          jobId: a.jobId,
          subjectType: a.subjectType,
          subjectId: a.subjectId,
          signerName: a.signerName,
          image: a.image,
        },
        { signedAt: a.signedAt },
      )
    }
    case 'appointment.create': {
      const a = parsed as Args<'appointment.create'>
      return fields(
        `appointments:${a.id}`,
        { jobId: a.jobId, status: 'scheduled' },
        { startsAt: a.startsAt, endsAt: a.endsAt },
      )
    }
    case 'appointment.reschedule': {
      const a = parsed as Args<'appointment.reschedule'>
      const key = `appointments:${a.appointmentId}`
      return [
        { key, path: ['startsAt'], time: a.startsAt },
        { key, path: ['endsAt'], time: a.endsAt },
      ]
    }
    case 'estimate.create': {
      const a = parsed as Args<'estimate.create'>
      return fields(
        `estimates:${a.id}`,
        {
          jobId: a.jobId,
          status: 'draft',
          lineItems: a.lineItems,
          taxRateBps: a.taxRateBps,
        },
        { createdAt: a.createdAt },
        { number: a.number },
      )
    }
    case 'invoice.create': {
      const a = parsed as Args<'invoice.create'>
      return fields(
        `invoices:${a.id}`,
        {
          jobId: a.jobId,
          status: 'draft',
          lineItems: a.lineItems,
          taxRateBps: a.taxRateBps,
          estimateId: a.estimateId,
        },
        { createdAt: a.createdAt },
        { number: a.number },
      )
    }
    case 'estimate.update': {
      const a = parsed as Args<'estimate.update'>
      return edit(`estimates:${a.estimateId}`, a.changes, a.base)
    }
    case 'invoice.update': {
      const a = parsed as Args<'invoice.update'>
      return edit(`invoices:${a.invoiceId}`, a.changes, a.base)
    }
    case 'job.update': {
      const a = parsed as Args<'job.update'>
      return edit(`jobs:${a.jobId}`, a.changes, a.base)
    }
    case 'jobForm.answer': {
      const a = parsed as Args<'jobForm.answer'>
      return edit(`forms:${a.formId}`, a.answers, a.base, (f) => ['answers', f])
    }
  }
}

function valueAt(row: unknown, path: string[]): unknown {
  let value = row
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key]
  return value
}

/**
 * Where the store's rows differ from the wants; a later want of the same field (or of the whole
 * row) replaces an earlier one, as a later action of the batch overwrites an earlier one.
 */
export function unmetWants(wants: Want[], before: Entities, after: Entities): string[] {
  const last = new Map<string, Want>()
  for (const want of wants) {
    if ('unchanged' in want) {
      for (const [id, w] of last) if (w.key === want.key) last.delete(id)
    } else {
      last.delete(want.key) // an earlier "unchanged" of this row
    }
    last.set(wantId(want), want)
  }
  const problems: string[] = []
  for (const want of last.values()) {
    const row = after.get(want.key)
    if ('unchanged' in want) {
      if (!jsonEqual(row, before.get(want.key))) {
        problems.push(
          `${want.key} existed and changed: ${preview(before.get(want.key))} → ${preview(row)}`,
        )
      }
      continue
    }
    if (row === undefined) {
      const missing = `${want.key} is not there`
      if (!problems.includes(missing)) problems.push(missing)
      continue
    }
    if ('label' in want) {
      const has = ((row as { labelIds?: string[] }).labelIds ?? []).includes(want.label)
      if (has !== want.on)
        problems.push(`${want.key} labelIds ${want.on ? 'lacks' : 'still has'} ${want.label}`)
      continue
    }
    const found = want.path.reduce<unknown>(
      (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
      row,
    )
    const value = 'blank' in want && found === undefined ? null : found
    const where = `${want.key} ${want.path.join('.')}`
    if ('time' in want) {
      const problem = storedTimeProblem(value, want.time)
      if (problem) problems.push(`${where}: ${problem}`)
    } else if ('docNumber' in want) {
      if (!numberFits(value, want.docNumber)) {
        problems.push(`${where}: stored ${shown(value, want.docNumber)} (nor a renumbering of it)`)
      }
    } else if (!jsonEqual(value, want.eq)) {
      problems.push(`${where}: stored ${shown(value, want.eq)}`)
    }
  }
  return problems
}

/**
 * Document numbers are unique per job (issue 13): a number the job's documents already use is
 * renumbered by the server, a trailing "-N" counting up (E-1254-2 → E-1254-3) and anything else
 * getting "-2", "-3"… So the stored number is the one sent, or one of its renumberings.
 */
function numberFits(stored: unknown, sent: string): boolean {
  if (stored === sent) return true
  if (typeof stored !== 'string') return false
  const m = /^(.*-)(\d+)$/.exec(sent)
  const stem = m ? (m[1] as string) : `${sent}-`
  const n = stored.startsWith(stem) ? stored.slice(stem.length) : ''
  return /^\d+$/.test(n) && BigInt(n) >= (m ? BigInt(m[2] as string) + 1n : 2n)
}

/** The stored value next to the schema's output; for strings, around their first difference. */
function shown(stored: unknown, wanted: unknown): string {
  if (
    typeof stored === 'string' &&
    typeof wanted === 'string' &&
    stored.length + wanted.length > 80
  ) {
    let i = 0
    while (i < stored.length && stored[i] === wanted[i]) i++
    const from = Math.max(0, i - 8)
    return `…${preview(stored.slice(from, i + 24))}…, the schema's output is …${preview(wanted.slice(from, i + 24))}… (first difference at ${i}; lengths ${stored.length} / ${wanted.length})`
  }
  return `${preview(stored)}, the schema's output is ${preview(wanted)}`
}

function wantId(want: Want): string {
  if ('path' in want) return `${want.key}/${want.path.join('.')}`
  if ('label' in want) return `${want.key}#${want.label}`
  return want.key
}
