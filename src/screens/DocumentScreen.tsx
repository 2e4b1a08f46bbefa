import { useSignal } from '@preact/signals'
import { useEffect, useId, useRef } from 'preact/hooks'
import type { Estimate, Invoice, LineItem, Payment } from '../../protocol/entities'
import { ESTIMATE_STATUSES, type EstimateStatus } from '../../protocol/entities'
import { documentTotals, formatCents } from '../../protocol/money'
import { FormError, type FormProblem, fieldProps, showProblem } from '../components/FormError'
import { PendingBadge } from '../components/PendingBadge'
import { SignaturePad } from '../components/SignaturePad'
import { TopBar } from '../components/TopBar'
import { UnsavedLine } from '../components/UnsavedLine'
import { addSignature, newId } from '../data/commands'
import {
  createEstimate,
  createInvoice,
  updateEstimate,
  updateInvoice,
} from '../data/documentCommands'
import { useLiveQuery } from '../data/live'
import { pendingStatus } from '../data/outboxState'
import { jobDetail } from '../data/queries'
import { href, navigate } from '../data/router'
import { activeDb } from '../data/session'
import { centsToInput, parseMoney } from '../format'
import { DocumentTotals } from './document/DocumentTotals'
import { LineItemRow } from './document/LineItemRow'
import { type Row, useEditorDraft } from './documentDraft'
import { firstProblem } from './documentProblem'
import { PaymentsCard } from './job/PaymentsCard'
import './DocumentScreen.css'

type Kind = 'estimate' | 'invoice'
const STATUS = { draft: 'Draft', sent: 'Sent', paid: 'Paid', void: 'Void' } as const

const toRow = (l: LineItem): Row => ({
  id: l.id,
  description: l.description,
  quantity: String(l.quantity),
  price: centsToInput(l.unitPriceCents),
})

/** An estimate or invoice: line items, tax, totals; invoices also take payments. */
export function DocumentScreen(props: { jobId: string; kind: Kind; docId: string }) {
  const db = activeDb()
  const detail = useLiveQuery(
    async () => (db ? jobDetail(db, props.jobId) : null),
    [db, props.jobId],
  )
  const d = detail.value
  const back = href({ name: 'job', id: props.jobId })
  const title = props.kind === 'estimate' ? 'Estimate' : 'Invoice'
  if (!d) return <TopBar title={title} back={back} />
  const doc =
    props.docId === 'new'
      ? null
      : ((props.kind === 'estimate' ? d.estimates : d.invoices) as Array<Estimate | Invoice>).find(
          (x) => x.id === props.docId,
        )
  if (props.docId !== 'new' && !doc) {
    return (
      <>
        <TopBar title={title} back={back} />
        <p class="empty">This {props.kind} is not on this device.</p>
      </>
    )
  }
  const payments = doc ? d.payments.filter((p) => p.invoiceId === doc.id) : []
  return (
    <>
      <TopBar title={doc ? `${title} ${doc.number}` : `New ${props.kind}`} back={back} />
      <Editor
        key={doc?.id ?? 'new'}
        kind={props.kind}
        doc={doc ?? null}
        d={d}
        payments={payments}
      />
    </>
  )
}

function Editor(props: {
  kind: Kind
  doc: Estimate | Invoice | null
  d: NonNullable<Awaited<ReturnType<typeof jobDetail>>>
  payments: Payment[]
}) {
  const { doc, kind, d } = props
  const { rows, tax, status, dirty, discard, saved } = useEditorDraft(
    `${kind}:${doc?.id ?? `new:${d.job.id}`}`,
    () => ({
      rows: doc
        ? doc.lineItems.map(toRow)
        : [{ id: newId(), description: '', quantity: '1', price: '' }],
      tax: doc ? String(doc.taxRateBps / 100) : '0',
      status: doc && kind === 'estimate' ? (doc as Estimate).status : 'draft',
    }),
  )
  const error = useSignal<FormProblem | null>(null)
  const errorId = useId()
  const signing = useSignal(false)

  const parsed = rows.value.map((r) => ({
    id: r.id,
    description: r.description.trim(),
    quantity: Number(r.quantity),
    unitPriceCents: parseMoney(r.price),
  }))
  const taxBps = Math.round(Number(tax.value) * 100)
  const lineItems = parsed as LineItem[]
  // Totals only of what could be saved: a tax of 500 % showed a total no save would ever keep.
  const totals =
    firstProblem(parsed, taxBps) === null ? documentTotals({ lineItems, taxRateBps: taxBps }) : null

  const setRow = (i: number, patch: Partial<Row>) => {
    rows.value = rows.value.map((r, j) => (j === i ? { ...r, ...patch } : r))
  }
  // A new line takes the keyboard at its Description (where typing goes next); a removed line
  // hands it to the line now in its place, or to "+ Add line" after the last one.
  const focusId = useSignal<string | null>(null)
  const addLine = useRef<HTMLButtonElement>(null)
  const focusOnce = (el: HTMLInputElement | null) => {
    if (!el) return
    focusId.value = null
    el.focus()
  }
  const addRow = () => {
    const id = newId()
    rows.value = [...rows.value, { id, description: '', quantity: '1', price: '' }]
    focusId.value = id
  }
  const removeRow = (i: number) => {
    const next = rows.value.filter((_, j) => j !== i)
    rows.value = next
    const after = next[i]
    if (after) focusId.value = after.id
    else addLine.current?.focus()
  }

  // One press, one document: a second press while a save ran (a double tap, Enter twice) made a
  // second estimate, and offline two invoices under one number. Ignored, not disabled (a
  // disabled button drops the keyboard focus of whoever pressed it).
  // Held by the document it is for; one that led to another screen is let go only once that
  // screen is drawn (a press landing between the save and its first frame made the second
  // invoice).
  const key = doc?.id ?? 'new'
  const busy = useRef<string | null>(null)
  useEffect(() => {
    busy.current = null
  }, [key])
  async function once(work: () => Promise<boolean | undefined>) {
    if (busy.current === key) return
    busy.current = key
    let left = false
    try {
      left = (await work()) === true
    } finally {
      if (!left) busy.current = null
    }
  }

  function save(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    void once(() => saveNow(form))
  }

  async function saveNow(form: HTMLFormElement) {
    const problem = firstProblem(parsed, taxBps)
    if (problem) {
      showProblem(form, error, problem)
      return
    }
    error.value = null
    // What this save holds: its draft goes once it is saved (not what is typed while it runs).
    const state = { rows: rows.value, tax: tax.value, status: status.value }
    if (!doc) {
      const id = newId()
      const res =
        kind === 'estimate'
          ? await createEstimate(d.job, lineItems, taxBps, id)
          : await createInvoice(d.job, lineItems, taxBps, null, id)
      if (res.ok) {
        saved(state)
        navigate({ name: 'doc', jobId: d.job.id, kind, docId: id })
        return true
      }
      error.value = { message: res.message }
      return
    }
    const res =
      kind === 'estimate'
        ? await updateEstimate(doc as Estimate, {
            lineItems,
            taxRateBps: taxBps,
            status: status.value,
          })
        : await updateInvoice(doc as Invoice, { lineItems, taxRateBps: taxBps })
    // Refused on the device (the shared schema, a full device): said, not dropped in silence.
    if (res.ok) saved(state)
    else error.value = { message: res.message }
  }

  async function invoiceFromEstimate() {
    if (!doc) return
    // The invoice is made from the saved estimate: lines typed and not saved were left out
    // without a word.
    if (dirty) {
      error.value = {
        message:
          'Save or discard the changes to this estimate first: the invoice is made from the saved estimate.',
      }
      return
    }
    const id = newId()
    const res = await createInvoice(d.job, doc.lineItems, doc.taxRateBps, doc.id, id)
    if (!res.ok) return
    navigate({ name: 'doc', jobId: d.job.id, kind: 'invoice', docId: id })
    return true
  }

  const pending = doc ? pendingStatus(doc.id) : undefined
  return (
    <>
      <form
        class={`card form${pending ? ' pending' : ''}`}
        onSubmit={save}
        data-testid="doc-editor"
      >
        {doc && (kind === 'invoice' || pending) && (
          <p class="status-line">
            {kind === 'invoice' ? `Status: ${STATUS[(doc as Invoice).status]}` : null}
            <PendingBadge status={pending} id={doc.id} />
          </p>
        )}
        {kind === 'estimate' && doc && (
          <label>
            Status
            <select
              value={status.value}
              onChange={(e) =>
                (status.value = (e.currentTarget as HTMLSelectElement).value as EstimateStatus)
              }
            >
              {ESTIMATE_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s[0]?.toUpperCase() + s.slice(1)}
                </option>
              ))}
            </select>
          </label>
        )}
        <ol class="lines">
          {rows.value.map((r, i) => (
            <LineItemRow
              key={r.id}
              row={r}
              index={i}
              parsed={parsed[i]}
              only={rows.value.length === 1}
              problem={error.value}
              errorId={errorId}
              takeFocus={r.id === focusId.value ? focusOnce : undefined}
              onChange={(patch) => setRow(i, patch)}
              onRemove={() => removeRow(i)}
            />
          ))}
        </ol>
        <button ref={addLine} type="button" class="button small" onClick={addRow}>
          + Add line
        </button>
        <label>
          Tax rate (%)
          <input
            {...fieldProps(error.value, 'tax', errorId)}
            inputMode="decimal"
            value={tax.value}
            onInput={(e) => (tax.value = (e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        {totals && <DocumentTotals totals={totals} />}
        <FormError id={errorId} problem={error.value} />
        {doc && dirty && <UnsavedLine onDiscard={discard} />}
        <button type="submit" class="button primary">
          {doc ? 'Save changes' : `Create ${kind}`}
        </button>
      </form>
      {doc && (
        <div class="button-row">
          <button type="button" class="button" onClick={() => (signing.value = true)}>
            Sign {kind}
          </button>
          {kind === 'estimate' && (
            <button type="button" class="button" onClick={() => void once(invoiceFromEstimate)}>
              Make invoice
            </button>
          )}
        </div>
      )}
      {doc && kind === 'invoice' && (
        <PaymentsCard invoice={doc as Invoice} payments={props.payments} />
      )}
      {signing.value && doc && (
        <SignaturePad
          title={`Sign ${kind} ${doc.number}`}
          what={`${kind === 'estimate' ? 'Estimate' : 'Invoice'} ${doc.number} · ${formatCents(documentTotals(doc).totalCents)}`}
          onClose={() => (signing.value = false)}
          onSave={(name, image) =>
            void addSignature(d.job.id, kind, doc.id, name, image).then((r) => {
              if (r.ok) signing.value = false
            })
          }
        />
      )}
    </>
  )
}
