import type { OutboxEntry } from '../../offline/outboxEntry'
import type { LineItem } from '../../protocol/entities'
import { documentTotals, formatCents } from '../../protocol/money'
import type { MutationArgs } from '../../protocol/mutations'
import { formatStamp, formatTime } from '../format'

/**
 * What an entry in Offline Actions holds, so entries of the same kind can be told apart: every
 * note used to read "Note on Job #1254 — AC not cooling" and nothing more.
 */
export interface EntryPreview {
  /** A line of words: the note's first words, the amount and method, the fields changed… */
  text: string | null
  /** A photo's thumbnail (a data: URL made on the device). */
  thumbnail: string | null
}

/** Field names of edits, in words. */
const FIELD_WORDS: Record<string, string> = {
  title: 'title',
  description: 'description',
  status: 'status',
  lineItems: 'line items',
  taxRateBps: 'tax rate',
}

const WORDS = 12

/** The first dozen words of a text, on one line. */
export function firstWords(text: string, n = WORDS): string {
  const words = text.trim().split(/\s+/)
  return words.length > n ? `${words.slice(0, n).join(' ')}…` : words.join(' ')
}

const list = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
const changed = (changes: object) =>
  `Changed ${list(Object.keys(changes).map((k) => FIELD_WORDS[k] ?? k))}`
const lines = (items: LineItem[]) => `${items.length} ${items.length === 1 ? 'line' : 'lines'}`
/** "9:30 AM" never breaks between the time and AM (a no-break space). */
const keep = (time: string) => time.replace(/(\d) (?=\S)/g, '$1\u00a0')
const span = (startsAt: string, endsAt: string) =>
  `${keep(formatStamp(startsAt))} – ${keep(formatTime(endsAt))}`

/**
 * The preview of one entry. `fieldLabels` names the job form's fields (their ids are all the
 * answers carry).
 */
export function previewOf(entry: OutboxEntry, fieldLabels: Map<string, string>): EntryPreview {
  const none = { text: null, thumbnail: null }
  const text = (t: string) => ({ text: t, thumbnail: null })
  switch (entry.name) {
    case 'note.add':
      return text(`“${firstWords((entry.args as MutationArgs<'note.add'>).body)}”`)
    case 'attachment.add': {
      // A PDF's entry line already holds its filename ("PDF quote.pdf on Job #…"): not twice.
      const a = entry.args as MutationArgs<'attachment.add'>
      return a.kind === 'photo' ? { text: a.filename, thumbnail: a.thumbnail } : none
    }
    case 'payment.add': {
      // The entry's own line already says "Check payment of $40.00 on Invoice …": what it
      // cannot say is the check's number or the reference.
      const p = entry.args as MutationArgs<'payment.add'>
      if (!p.reference) return none
      return text(`${p.method === 'check' ? 'Check' : 'Reference'} #${p.reference}`)
    }
    case 'job.update':
    case 'estimate.update':
    case 'invoice.update':
      return text(changed((entry.args as MutationArgs<'job.update'>).changes))
    case 'jobForm.answer': {
      const ids = Object.keys((entry.args as MutationArgs<'jobForm.answer'>).answers)
      return text(`Answered: ${list(ids.map((id) => fieldLabels.get(id) ?? 'a field'))}`)
    }
    case 'appointment.reschedule': {
      const a = entry.args as MutationArgs<'appointment.reschedule'>
      return text(`To ${span(a.startsAt, a.endsAt)}`)
    }
    case 'appointment.create': {
      const a = entry.args as MutationArgs<'appointment.create'>
      return text(span(a.startsAt, a.endsAt))
    }
    case 'estimate.create':
    case 'invoice.create': {
      const d = entry.args as MutationArgs<'estimate.create'>
      return text(`${lines(d.lineItems)}, ${formatCents(documentTotals(d).totalCents)}`)
    }
    default:
      // Labels and signatures: the entry's own line already names the label, or the signer.
      return none
  }
}
