import type { LocalDb } from '../../offline/localDb'
import type { OutboxEntry } from '../../offline/outboxEntry'
import type { LineItem } from '../../protocol/entities'
import { type Choice, clashKey } from '../../protocol/merge'
import { formatCents } from '../../protocol/money'
import type { FieldConflict } from '../../protocol/sync'
import { formatStamp, formatTime, STATUS_WORDS } from '../format'

/** One clash of a Conflict, in the words the conflict card shows. */
export interface ClashView {
  key: string
  /** What clashed: "Description", "Line “Filter”: quantity", "Refrigerant pressure". */
  label: string
  office: string
  mine: string
  /** Whoever changed it last: the office if its change came after the technician's. */
  suggested: Choice
}

const FIELD_WORDS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  status: 'Status',
  taxRateBps: 'Tax rate',
  lineItems: 'Line items',
  time: 'Visit time',
}
const ATTRIBUTE_WORDS = {
  description: 'description',
  quantity: 'quantity',
  unitPriceCents: 'price',
}

/** Each clash of a Conflict entry, named and valued in words (form questions by their label). */
export async function explainClashes(db: LocalDb, entry: OutboxEntry): Promise<ClashView[]> {
  const clashes = entry.conflicts ?? []
  const names = new Map([...(await questionLabels(db, entry)), ...lineNames(entry)])
  return clashes.map((c) => ({
    key: clashKey(c),
    label: labelOf(c, names),
    office: inWords(c, c.server),
    mine: inWords(c, c.mine),
    suggested: c.serverAt && c.serverAt > entry.at ? 'server' : 'mine',
  }))
}

async function questionLabels(db: LocalDb, entry: OutboxEntry): Promise<Map<string, string>> {
  if (entry.name !== 'jobForm.answer') return new Map()
  const form = await db.jobForms.get((entry.args as { formId: string }).formId)
  return new Map((form?.fields ?? []).map((f) => [f.id, f.label]))
}

/** Each line's description as the technician wrote it (or last saw it, for a line they deleted). */
function lineNames(entry: OutboxEntry): Map<string, string> {
  const args = entry.args as {
    changes?: { lineItems?: LineItem[] }
    base?: { lineItems?: LineItem[] }
  }
  const lines = [...(args.base?.lineItems ?? []), ...(args.changes?.lineItems ?? [])]
  return new Map(lines.map((l) => [l.id, l.description]))
}

/** Question ids and line ids name themselves through `names`; fields through FIELD_WORDS. */
function labelOf(c: FieldConflict, names: Map<string, string>): string {
  if (c.line === undefined) return names.get(c.field) ?? FIELD_WORDS[c.field] ?? c.field
  const name = names.get(c.line) ?? (c.server as LineItem | null)?.description ?? 'item'
  return c.attribute ? `Line “${name}”: ${ATTRIBUTE_WORDS[c.attribute]}` : `Line “${name}”`
}

function inWords(c: FieldConflict, value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return c.line !== undefined && c.attribute === undefined ? 'Deleted' : '(blank)'
  }
  if (c.line !== undefined && c.attribute === undefined) return lineSummary(value as LineItem)
  if (c.attribute === 'unitPriceCents') return formatCents(value as number)
  if (c.field === 'taxRateBps') return `${((value as number) / 100).toFixed(2)} %`
  if (c.field === 'status') {
    const word = String(value)
    return STATUS_WORDS[word] ?? word.charAt(0).toUpperCase() + word.slice(1)
  }
  if (c.field === 'time') {
    const t = value as { startsAt: string; endsAt: string }
    return `${formatStamp(t.startsAt)} – ${formatTime(t.endsAt)}`
  }
  if (c.field === 'lineItems' && Array.isArray(value)) {
    return value.map((l) => lineSummary(l as LineItem)).join('; ')
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No'
  return String(value)
}

function lineSummary(l: LineItem): string {
  return `${l.description}, ${l.quantity} × ${formatCents(l.unitPriceCents)}`
}
