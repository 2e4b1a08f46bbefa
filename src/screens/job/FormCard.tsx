import { useSignal } from '@preact/signals'
import type { FormAnswer, FormField, JobForm } from '../../../protocol/entities'
import { PendingBadge } from '../../components/PendingBadge'
import { answerForm } from '../../data/commands'
import { pendingStatus } from '../../data/outboxState'

/** The job form: text, number, yes/no and choice fields, answered and saved offline. */
export function FormCard({ form }: { form: JobForm }) {
  const draft = useSignal<Record<string, FormAnswer>>({})
  const status = pendingStatus(form.id)
  const value = (f: FormField) =>
    (f.id in draft.value ? draft.value[f.id] : (form.answers[f.id] ?? null)) ?? null
  const set = (id: string, v: FormAnswer) => {
    draft.value = { ...draft.value, [id]: v }
  }
  async function save(e: Event) {
    e.preventDefault()
    if ((await answerForm(form, draft.value)).ok) draft.value = {}
  }
  return (
    <section class={`card${status ? ' pending' : ''}`} data-testid="job-form">
      <h3>
        {form.name} <PendingBadge status={status} />
      </h3>
      <form class="form" onSubmit={save}>
        {form.fields.map((f) => (
          <Field key={f.id} field={f} value={value(f)} onChange={(v) => set(f.id, v)} />
        ))}
        <button
          type="submit"
          class="button primary"
          disabled={Object.keys(draft.value).length === 0}
        >
          Save answers
        </button>
      </form>
    </section>
  )
}

function Field(props: { field: FormField; value: FormAnswer; onChange: (v: FormAnswer) => void }) {
  const { field, value, onChange } = props
  switch (field.type) {
    case 'yesno':
      return (
        <fieldset class="yesno">
          <legend>{field.label}</legend>
          {[true, false].map((b) => (
            <label key={String(b)} class={`toggle-option${value === b ? ' on' : ''}`}>
              <input
                type="radio"
                name={field.id}
                checked={value === b}
                onChange={() => onChange(b)}
              />
              {b ? 'Yes' : 'No'}
            </label>
          ))}
        </fieldset>
      )
    case 'choice':
      return (
        <label>
          {field.label}
          <select
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value || null)}
          >
            <option value="">—</option>
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
