import type { LineItem } from './entities'
import { jsonEqual } from './jsonEqual'
import { listRulesHold } from './lineItems'
import type { FieldConflict, LineAttribute } from './sync'

/**
 * The three-way merge of an edit, the one rule both sides use: the server to apply an edit, the
 * device to lay a pending edit over fresh data from a pull. `current` is the office's value now,
 * `base` what the technician saw, `changes` what they made of it; only fields in `changes` are
 * looked at. Per field (and, for line items, per line and per attribute of a line, by line id):
 * - only the technician changed it → theirs; only the office → the office's; both alike → that;
 * - both, differently → a clash, reported, never settled here: `onClash` says which value the
 *   result holds meanwhile (the server keeps the office's, a device's preview shows its own).
 * Line items: a line added on one side is kept; deleted on one side and untouched on the other
 * is deleted; deleted on one side and edited on the other is a clash on the whole line;
 * description, quantity and price are separate fields. Lines come in the technician's order,
 * with the office's new lines after them.
 */
export interface EditMerge {
  /** The merged value of every field in `changes`. */
  values: Record<string, unknown>
  /** Fields whose merged value differs from `current` (what to write). */
  changed: string[]
  clashes: FieldConflict[]
}

export type ClashSide = 'server' | 'mine'

export function mergeEdit(
  current: Record<string, unknown>,
  changes: Record<string, unknown>,
  base: Record<string, unknown>,
  onClash: ClashSide = 'server',
): EditMerge {
  const values: Record<string, unknown> = {}
  const changed: string[] = []
  const clashes: FieldConflict[] = []
  for (const [field, mine] of Object.entries(changes)) {
    if (mine === undefined) continue
    const cur = current[field] ?? null
    const was = base[field] ?? null
    let value: unknown
    if (jsonEqual(mine, was) || jsonEqual(mine, cur)) {
      value = cur
    } else if (field === 'lineItems' && Array.isArray(mine) && Array.isArray(cur)) {
      const [o, m, b] = [cur as LineItem[], mine as LineItem[], asLines(was)]
      // Both ways of holding the line clashes are checked, on the server and on the device
      // alike, so that both report the same clashes whichever way they show them.
      const held = mergeLines(o, m, b, 'server')
      const own = mergeLines(o, m, b, 'mine').lines
      if (listRulesHold(held.lines) && listRulesHold(own)) {
        clashes.push(...held.clashes)
        value = onClash === 'mine' ? own : held.lines
      } else {
        // Merged, the document would break a rule each side kept on its own (no line, more
        // than 200, over $1B: two edits of $600M each): the lists clash as a whole, so what is
        // stored is always a list a direct edit could send, and the office can save it again.
        clashes.push({ field, server: cur, mine })
        value = onClash === 'mine' ? mine : cur
      }
    } else if (jsonEqual(cur, was)) {
      value = mine
    } else {
      clashes.push({ field, server: cur, mine })
      value = onClash === 'mine' ? mine : cur
    }
    values[field] = value
    if (!jsonEqual(value, cur)) changed.push(field)
  }
  return { values, changed, clashes }
}

const ATTRIBUTES: readonly LineAttribute[] = ['description', 'quantity', 'unitPriceCents']
function asLines(value: unknown): LineItem[] {
  return Array.isArray(value) ? (value as LineItem[]) : []
}

/** Line items merged line by line, before mergeEdit checks the list's rules (listRulesHold). */
export function mergeLines(
  office: LineItem[],
  mine: LineItem[],
  base: LineItem[],
  onClash: ClashSide,
): { lines: LineItem[]; clashes: FieldConflict[] } {
  const byId = (lines: LineItem[]) => new Map(lines.map((l) => [l.id, l]))
  const [o, m, b] = [byId(office), byId(mine), byId(base)]
  const order = [...mine.map((l) => l.id), ...office.map((l) => l.id).filter((id) => !m.has(id))]
  const clashes: FieldConflict[] = []
  const lines: LineItem[] = []
  for (const id of order) {
    const line = mergeLine(o.get(id), m.get(id), b.get(id), id, onClash, clashes)
    if (line) lines.push(line)
  }
  return { lines, clashes }
}

function mergeLine(
  o: LineItem | undefined,
  m: LineItem | undefined,
  b: LineItem | undefined,
  id: string,
  onClash: ClashSide,
  clashes: FieldConflict[],
): LineItem | undefined {
  if (jsonEqual(o, m)) return o
  if (!o || !m) {
    // Present on one side only. Untouched on the other side (or new): the side that has it, or
    // that removed it, wins. Otherwise one deleted what the other edited: a clash on the line.
    const kept = o ?? m
    const other = o ? m : o
    if (jsonEqual(kept, b)) return other
    if (b === undefined) return kept
    clashes.push({ field: 'lineItems', line: id, server: o ?? null, mine: m ?? null })
    return onClash === 'mine' ? m : o
  }
  const merged = { ...o }
  for (const attribute of ATTRIBUTES) {
    const [ov, mv, bv] = [o[attribute], m[attribute], b?.[attribute]]
    if (mv === ov || mv === bv) continue
    if (ov === bv) {
      ;(merged as Record<LineAttribute, unknown>)[attribute] = mv
      continue
    }
    clashes.push({ field: 'lineItems', line: id, attribute, server: ov, mine: mv })
    if (onClash === 'mine') (merged as Record<LineAttribute, unknown>)[attribute] = mv
  }
  return merged
}

export type Choice = 'server' | 'mine'

/** A clash's place as one string (field, line, attribute), to key choices by. */
export const clashKey = (c: FieldConflict): string =>
  [c.field, c.line ?? '', c.attribute ?? ''].join('/')

/**
 * The technician's answer to each clash, written into the edit so that sending it again applies
 * exactly that: for 'mine', the base takes the office's value (the office's change is then what
 * the technician saw, and theirs wins); for 'server', theirs becomes the office's value (nothing
 * left to change). The merge of the result against the same office values clashes no more, and
 * resolving twice changes nothing.
 *
 * Everything else is re-based on the edit itself: what did not clash was written when the edit
 * first arrived (server/mutations/edits.ts), so the technician's values there are what the server
 * held after it, and the resend must not carry them as changes again. Before, it kept the old
 * base: a line the technician added, written with the conflict and then deleted by the office,
 * came back with the resend, and an office's later change to a field the edit had written was
 * undone, both silently (found by an office-against-technician probe, 2026-12-02).
 */
export function resolveEdit(
  changes: Record<string, unknown>,
  base: Record<string, unknown>,
  clashes: FieldConflict[],
  choose: (clash: FieldConflict) => Choice,
): { changes: Record<string, unknown>; base: Record<string, unknown> } {
  let nextChanges = { ...changes }
  let nextBase = { ...base, ...changes }
  for (const clash of clashes) {
    nextBase = withValueAt(nextBase, clash, clash.server)
    if (choose(clash) === 'server') nextChanges = withValueAt(nextChanges, clash, clash.server)
  }
  return { changes: nextChanges, base: nextBase }
}

/** A copy of `record` with the clash's place (a field, a line, or an attribute of a line) set. */
export function withValueAt(
  record: Record<string, unknown>,
  clash: FieldConflict,
  value: unknown,
): Record<string, unknown> {
  if (clash.line === undefined) return { ...record, [clash.field]: value }
  const lines = asLines(record[clash.field])
  const at = lines.findIndex((l) => l.id === clash.line)
  let next: LineItem[]
  if (clash.attribute === undefined) {
    const line = value as LineItem | null
    if (line === null) next = lines.filter((l) => l.id !== clash.line)
    else if (at >= 0) next = lines.map((l, i) => (i === at ? line : l))
    else next = [...lines, line]
  } else {
    if (at < 0) return record
    next = lines.map((l, i) => (i === at ? { ...l, [clash.attribute as string]: value } : l))
  }
  return { ...record, [clash.field]: next }
}
