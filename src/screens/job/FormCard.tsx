import { useSignal, useSignalEffect } from '@preact/signals'
import { useEffect, useRef } from 'preact/hooks'
import type { FormAnswer, FormField, JobForm } from '../../../protocol/entities'
import { ChoiceButtons } from '../../components/ChoiceButtons'
import { PendingBadge } from '../../components/PendingBadge'
import { UnsavedLine } from '../../components/UnsavedLine'
import { answerForm } from '../../data/commands'
import { draftValue, keepDraftValue, useDraftArrival } from '../../data/drafts'
import { pendingStatus } from '../../data/outboxState'

type Answers = Record<string, FormAnswer>

const YES_NO = [
  { value: true, label: 'Yes' },
  { value: false, label: 'No' },
] as const

/** The job form: text, number, yes/no and choice fields, answered and saved offline. */
export function FormCard({ form }: { form: JobForm }) {
  // Answers typed and not saved: kept on the device (data/drafts.ts) until saved, so a reload or
  // the phone killing the app does not lose them. Only the questions touched are in it.
  const draft = useSignal<Answers>(draftValue<Answers>('form', form.id) ?? {})
  useDraftArrival<Answers>('form', form.id, (kept) => {
    draft.value = { ...kept, ...draft.value }
  })
  useSignalEffect(() => {
    const typed = draft.value
    keepDraftValue('form', form.id, Object.keys(typed).length > 0 ? typed : undefined)
  })
  // Answers handed to a save: still shown until the form read back from the device holds them.
  // Clearing the draft after the save instead blanked the fields for a moment, and wiped
  // whatever was typed while the save ran.
  const saving = useSignal<Answers>({})
  const inFlight = useRef(false)
  // A tap on Save while a save runs: saved as soon as that one ends, never dropped.
  const again = useRef(false)
  const latest = useRef(form)
  latest.current = form
  useEffect(() => {
    if (!inFlight.current) saving.value = {}
  }, [form])
  const status = pendingStatus(form.id)
  const value = (f: FormField): FormAnswer =>
    (f.id in draft.value
      ? draft.value[f.id]
      : f.id in saving.value
        ? saving.value[f.id]
        : form.answers[f.id]) ?? null
  const set = (id: string, v: FormAnswer) => {
    draft.value = { ...draft.value, [id]: v }
  }
  const unchanged = Object.keys(draft.value).length === 0
  function save(e: Event) {
    e.preventDefault()
    if (inFlight.current) {
      again.current = true
      return
    }
    void saveDraft()
  }
  async function saveDraft() {
    const sent = draft.value
    if (Object.keys(sent).length === 0) return
    inFlight.current = true
    saving.value = sent
    draft.value = {}
    const result = await answerForm(latest.current, sent)
    inFlight.current = false
    if (!result.ok) {
      // Put back what was not typed over meanwhile; the error is in the toast.
      draft.value = { ...sent, ...draft.value }
      saving.value = {}
      again.current = false
      return
    }
    if (Object.entries(sent).every(([k, v]) => (latest.current.answers[k] ?? null) === v)) {
      saving.value = {}
    }
    if (again.current) {
      again.current = false
      await saveDraft()
    }
  }
  return (
    <section class={`card${status ? ' pending' : ''}`} data-testid="job-form">
      {/* The mark beside the heading, not in it: the heading's name is the form's, so a screen
          reader's list of headings reads "Site check", not "Site check Queued". */}
      <div class="card-head">
        <h2 class="card-title">{form.name}</h2>
        <PendingBadge status={status} />
      </div>
      <form class="form" onSubmit={save}>
        {form.fields.map((f) => (
          <Field key={f.id} field={f} value={value(f)} onChange={(v) => set(f.id, v)} />
        ))}
        {/* Never disabled: a disabled button drops the keyboard focus of whoever pressed it. */}
        <button
          type="submit"
          class={`button primary${unchanged ? ' disabled' : ''}`}
          aria-disabled={unchanged}
        >
          Save answers
        </button>
        {!unchanged && <UnsavedLine onDiscard={() => (draft.value = {})} />}
      </form>
    </section>
  )
}

function Field(props: { field: FormField; value: FormAnswer; onChange: (v: FormAnswer) => void }) {
  const { field, value, onChange } = props
  switch (field.type) {
    case 'yesno':
      return (
        <ChoiceButtons
          legend={field.label}
          name={field.id}
          options={YES_NO}
          value={typeof value === 'boolean' ? value : null}
          onChange={onChange}
        />
      )
    case 'choice':
      return (
        <label>
          {field.label}
          <select
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || null)}
          >
            <option value="">Not answered</option>
            {(field.options ?? []).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      )
    case 'number':
      return (
        <label>
          {field.label}
          <input
            type="number"
            inputMode="decimal"
            step="any"
            value={typeof value === 'number' ? value : ''}
            onInput={(e) => {
              const raw = (e.currentTarget as HTMLInputElement).value
              onChange(raw === '' ? null : Number(raw))
            }}
          />
        </label>
      )
    default:
      return (
        <label>
          {field.label}
          <input
            type="text"
            maxLength={2000}
            value={typeof value === 'string' ? value : ''}
            onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
      )
  }
}
