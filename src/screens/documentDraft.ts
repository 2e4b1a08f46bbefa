import { useSignal, useSignalEffect } from '@preact/signals'
import { useMemo, useRef } from 'preact/hooks'
import type { EstimateStatus } from '../../protocol/entities'
import { draftValue, keepDraftValue } from '../data/drafts'

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

/** What the technician sees: lines without their ids (a new blank line's id is random). */
const shape = (s: EditorState) =>
  JSON.stringify([s.rows.map((r) => [r.description, r.quantity, r.price]), s.tax, s.status])

/**
 * The editor's state, kept as a draft while it differs from the document (src/data/drafts.ts):
 * an unsaved price change was lost on Back, with no word. `fresh` is the document as it is now;
 * `dirty` says there is something to save (shown beside the Save button), `discard` goes back to
 * the document.
 */
export function useEditorDraft(key: string, fresh: () => EditorState) {
  // Read once, when the editor opens (a draft, or the document as it is then).
  const start = useMemo(() => draftValue<EditorState>('doc', key) ?? fresh(), [])
  const rows = useSignal<Row[]>(start.rows)
  const tax = useSignal(start.tax)
  const status = useSignal<EstimateStatus>(start.status)
  const now: EditorState = { rows: rows.value, tax: tax.value, status: status.value }
  const dirty = shape(now) !== shape(fresh())
  // Kept as each change is made (a signal effect runs at once), not in an effect after the
  // paint: a Back tapped before that effect ran unmounted the editor and its draft was never
  // kept (a CI run lost it so).
  const latest = useRef(fresh)
  latest.current = fresh
  useSignalEffect(() => {
    const state: EditorState = { rows: rows.value, tax: tax.value, status: status.value }
    const changed = shape(state) !== shape(latest.current())
    keepDraftValue('doc', key, changed ? state : undefined)
  })
  const discard = () => {
    const f = fresh()
    rows.value = f.rows
    tax.value = f.tax
    status.value = f.status
    keepDraftValue('doc', key, undefined)
  }
  return { rows, tax, status, dirty, discard }
}
