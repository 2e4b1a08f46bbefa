import { useSignal, useSignalEffect } from '@preact/signals'
import { useMemo, useRef } from 'preact/hooks'
import type { EstimateStatus } from '../../protocol/entities'
import { draftValue, keepDraftValue, useDraftArrival } from '../data/drafts'

/** One line as typed (text, so "1." or "12,5" stay as the technician left them). */
export interface Row {
  id: string
  description: string
  quantity: string
  price: string
}

export interface EditorState {
  rows: Row[]
  tax: string
  status: EstimateStatus
}

/**
 * What is kept: the editor's state and the document as it was when the editor opened (`base`),
 * so that a draft opened again after the office changed the document takes the office's values
 * for what the technician did not touch (rebaseDraft), instead of sending the old ones back.
 */
export interface DocumentDraft {
  base: EditorState
  state: EditorState
}

/** What the technician sees: lines without their ids (a new blank line's id is random). */
export const shape = (s: EditorState) =>
  JSON.stringify([s.rows.map((r) => [r.description, r.quantity, r.price]), s.tax, s.status])

const sameRow = (a: Row, b: Row) =>
  a.description === b.description && a.quantity === b.quantity && a.price === b.price

/**
 * The draft's changes laid over the document as it is now, per line (by id) and per field, as
 * protocol/merge.ts does for the edit itself: what the technician changed keeps their value,
 * the rest takes the document's. Lines the office added are appended; a line the office removed
 * stays only if the technician changed it (it will show, and Save decides). When nothing changed
 * since the draft began (always so for a new document, whose blank line's id is random), the
 * draft is taken as it is.
 */
export function rebaseDraft(draft: DocumentDraft, now: EditorState): EditorState {
  const { base, state: mine } = draft
  if (shape(base) === shape(now)) return mine
  const pick = <V>(m: V, b: V, n: V) => (m === b ? n : m)
  const baseRows = new Map(base.rows.map((r) => [r.id, r]))
  const nowRows = new Map(now.rows.map((r) => [r.id, r]))
  const mineIds = new Set(mine.rows.map((r) => r.id))
  const rows: Row[] = []
  for (const r of mine.rows) {
    const b = baseRows.get(r.id)
    const n = nowRows.get(r.id)
    if (!b) rows.push(r)
    else if (!n) {
      if (!sameRow(r, b)) rows.push(r)
    } else {
      rows.push({
        id: r.id,
        description: pick(r.description, b.description, n.description),
        quantity: pick(r.quantity, b.quantity, n.quantity),
        price: pick(r.price, b.price, n.price),
      })
    }
  }
  for (const n of now.rows) if (!baseRows.has(n.id) && !mineIds.has(n.id)) rows.push(n)
  return {
    rows: rows.length > 0 ? rows : now.rows,
    tax: pick(mine.tax, base.tax, now.tax),
    status: pick(mine.status, base.status, now.status),
  }
}

/**
 * The editor's state, kept as a draft while it differs from the document (src/data/drafts.ts,
 * on the device: a reload or a killed app gives it back). `fresh` is the document as it is now;
 * `dirty` says there is something to save (shown beside the Save button), `discard` goes back to
 * the document, `saved(state)` drops the draft once that state is saved (unless more was typed
 * meanwhile).
 */
export function useEditorDraft(key: string, fresh: () => EditorState) {
  // Read once, when the editor opens (a draft, or the document as it is then).
  const base = useMemo(fresh, [])
  const start = useMemo(() => {
    const kept = draftValue<DocumentDraft>('doc', key)
    return kept ? rebaseDraft(kept, base) : base
  }, [])
  const rows = useSignal<Row[]>(start.rows)
  const tax = useSignal(start.tax)
  const status = useSignal<EstimateStatus>(start.status)
  const now: EditorState = { rows: rows.value, tax: tax.value, status: status.value }
  const dirty = shape(now) !== shape(fresh())
  // Kept from the device after the editor opened (a reload straight into it): taken unless
  // something was typed meanwhile.
  useDraftArrival<DocumentDraft>('doc', key, (kept) => {
    const current = { rows: rows.value, tax: tax.value, status: status.value }
    if (shape(current) !== shape(base)) return
    const restored = rebaseDraft(kept, base)
    rows.value = restored.rows
    tax.value = restored.tax
    status.value = restored.status
  })
  // Kept as each change is made (a signal effect runs at once), not in an effect after the
  // paint: a Back tapped before that effect ran unmounted the editor and its draft was never
  // kept (a CI run lost it so).
  const latest = useRef(fresh)
  latest.current = fresh
  useSignalEffect(() => {
    const state: EditorState = { rows: rows.value, tax: tax.value, status: status.value }
    const changed = shape(state) !== shape(latest.current())
    keepDraftValue('doc', key, changed ? ({ base, state } satisfies DocumentDraft) : undefined)
  })
  const discard = () => {
    const f = fresh()
    rows.value = f.rows
    tax.value = f.tax
    status.value = f.status
    keepDraftValue('doc', key, undefined)
  }
  const saved = (state: EditorState) => {
    const current = { rows: rows.value, tax: tax.value, status: status.value }
    if (shape(current) === shape(state)) keepDraftValue('doc', key, undefined)
  }
  return { rows, tax, status, dirty, discard, saved }
}
