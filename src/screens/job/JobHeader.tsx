import { useSignal } from '@preact/signals'
import { useId } from 'preact/hooks'
import { JOB_STATUSES, type JobStatus } from '../../../protocol/entities'
import { Dialog } from '../../components/Dialog'
import { FormError, type FormProblem, fieldProps, showProblem } from '../../components/FormError'
import { Icon } from '../../components/Icon'
import { LabelChip } from '../../components/LabelChip'
import { PendingBadge } from '../../components/PendingBadge'
import { addLabel, createLabelOnJob, removeLabel, updateJob } from '../../data/commands'
import { ownStatus, pendingStatus } from '../../data/outboxState'
import type { JobDetail } from '../../data/queries'
import { mapsLink, STATUS_WORDS } from '../../format'
import './JobHeader.css'

/** A new label's colours, named in words (and by their code, as they are stored). */
const LABEL_COLOURS = [
  { value: '#d97706', name: 'Orange' },
  { value: '#dc2626', name: 'Red' },
  { value: '#2563eb', name: 'Blue' },
  { value: '#16a34a', name: 'Green' },
  { value: '#7c3aed', name: 'Purple' },
  { value: '#0891b2', name: 'Teal' },
]

/** Title, status, labels, description and location; "Edit" changes title/description/status. */
export function JobHeader({ d }: { d: JobDetail }) {
  const { job } = d
  const editing = useSignal(false)
  const labelling = useSignal(false)
  // Changes to the job itself (title, status, description): its notes, photos and labels carry
  // their own marks where they are shown.
  const status = ownStatus(job.id)
  return (
    <section class={`card job${status ? ' pending' : ''}`}>
      <div class="row-between">
        <h2 data-testid="job-title">{job.title}</h2>
        <button type="button" class="button small" onClick={() => (editing.value = true)}>
          {/* "Edit" on screen; the name says what (the job screen has other things to change). */}
          Edit<span class="visually-hidden"> job details</span>
        </button>
      </div>
      <p class="status-line">
        <span class={`status status-${job.status}`} data-testid="job-status">
          {STATUS_WORDS[job.status]}
        </span>
        <PendingBadge status={status} id={job.id} />
      </p>
      <div class="chips" data-testid="job-labels">
        {d.labels.map((l) => (
          <LabelChip
            key={l.id}
            label={l}
            status={pendingStatus(l.id)}
            onRemove={() => void removeLabel(job.id, l.id)}
          />
        ))}
        <button type="button" class="chip chip-add" onClick={() => (labelling.value = true)}>
          {/* Named "Add label": "+ Label" alone reads as a label named "+ Label". */}
          <span class="visually-hidden">Add </span>
          <span aria-hidden="true">+ </span>
          Label
        </button>
      </div>
      <p class="description" data-testid="job-description">
        {job.description}
      </p>
      {/* The pin says "map" to the eye; the name says it in words (the brief's map link), as
          one string: a hidden span after the address was read "Lakeside , open map". */}
      <a
        class="row-link"
        href={mapsLink(job.address)}
        target="_blank"
        rel="noreferrer"
        aria-label={`${job.address}, open map`}
      >
        <Icon name="map" />
        <span>{job.address}</span>
      </a>
      {editing.value && <EditJob d={d} onClose={() => (editing.value = false)} />}
      {labelling.value && <LabelPicker d={d} onClose={() => (labelling.value = false)} />}
    </section>
  )
}

function EditJob({ d, onClose }: { d: JobDetail; onClose: () => void }) {
  const error = useSignal<FormProblem | null>(null)
  const errorId = useId()
  // The fields start from the job and are the technician's from then on (defaultValue): with
  // `value`, the re-render that shows an error put the job's values back over what was typed,
  // and the next Save saved those.
  async function save(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    const f = new FormData(form)
    const title = String(f.get('title')).trim()
    // Checked here in words, on its field: a title of spaces passed \`required\` and came back as
    // the schema's "changes.title must not be empty", on no field.
    if (!title) {
      showProblem(form, error, { message: 'Give the job a title.', field: 'title' })
      return
    }
    error.value = null
    const res = await updateJob(d.job, {
      title,
      description: String(f.get('description')).trim(),
      status: String(f.get('status')) as JobStatus,
    })
    // A refusal on the device (Offline Enabled off, a full device) is said by the dialog itself.
    if (res.ok) onClose()
  }
  return (
    <Dialog title="Job details" onClose={onClose}>
      {/* noValidate: the browser's own bubble differs per engine and misses a title of spaces;
          the form says what is wrong itself, on the field. */}
      <form class="form" onSubmit={save} noValidate>
        <label>
          Title
          <input
            {...fieldProps(error.value, 'title', errorId)}
            aria-required="true"
            maxLength={200}
            defaultValue={d.job.title}
          />
        </label>
        <label>
          Description
          <textarea
            name="description"
            rows={4}
            maxLength={10_000}
            defaultValue={d.job.description}
          />
        </label>
        <label>
          Status
          <select name="status">
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s} selected={s === d.job.status}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </label>
        <FormError id={errorId} problem={error.value} />
        <div class="dialog-buttons">
          <button type="submit" class="button primary">
            Save
          </button>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function LabelPicker({ d, onClose }: { d: JobDetail; onClose: () => void }) {
  const available = d.allLabels.filter((l) => !d.job.labelIds.includes(l.id))
  const colour = useSignal(LABEL_COLOURS[0]?.value as string)
  const error = useSignal<FormProblem | null>(null)
  const errorId = useId()
  async function create(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    const name = String(new FormData(form).get('name')).trim()
    if (!name) {
      showProblem(form, error, { message: 'Give the new label a name.', field: 'name' })
      return
    }
    // A name the company already uses is that label, not a second one: two "Urgent" labels
    // could not be told apart (same name on the chip, on Remove, in every picker).
    const same = d.allLabels.find((l) => l.name.trim().toLowerCase() === name.toLowerCase())
    if (same && d.labels.some((l) => l.id === same.id)) {
      showProblem(form, error, {
        message: `This job already has the label “${same.name}”.`,
        field: 'name',
      })
      return
    }
    const res = same
      ? await addLabel(d.job.id, same.id)
      : await createLabelOnJob(d.job.id, name, colour.value)
    // Refused on the device (a full device, a name the schema refuses): said, not silent.
    if (res.ok) onClose()
    else error.value = { message: res.message }
  }
  return (
    <Dialog title="Add a label" onClose={onClose}>
      <div class="chips">
        {available.map((l) => (
          <button
            type="button"
            key={l.id}
            class="chip chip-pick"
            style={{ borderLeftColor: l.color }}
            onClick={() => void addLabel(d.job.id, l.id).then(onClose)}
          >
            {l.name}
          </button>
        ))}
      </div>
      <form class="form" onSubmit={create}>
        <label>
          New label
          <input
            {...fieldProps(error.value, 'name', errorId)}
            maxLength={40}
            placeholder="e.g. Needs part"
          />
        </label>
        <fieldset class="swatches">
          <legend class="visually-hidden">Colour</legend>
          {LABEL_COLOURS.map((c) => (
            <button
              type="button"
              key={c.value}
              aria-pressed={colour.value === c.value}
              aria-label={c.name}
              class={`swatch${colour.value === c.value ? ' on' : ''}`}
              style={{ background: c.value }}
              onClick={() => (colour.value = c.value)}
            />
          ))}
        </fieldset>
        <FormError id={errorId} problem={error.value} />
        <div class="dialog-buttons">
          <button type="submit" class="button primary">
            Create and add
          </button>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  )
}
