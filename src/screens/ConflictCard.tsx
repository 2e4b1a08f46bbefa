import { useSignal } from '@preact/signals'
import type { OutboxEntry } from '../../offline/outboxEntry'
import type { Choice } from '../../protocol/merge'
import { type ClashView, explainClashes } from '../data/conflicts'
import { useLiveQuery } from '../data/live'
import { resolveConflictWith } from '../data/queueCommands'
import { activeDb } from '../data/session'
import './ConflictCard.css'

/**
 * A Conflict in Offline Actions: what the office and the technician each made of the same thing,
 * clash by clash, in words ("Line “Filter”: quantity — Office: 4 — You: 5"), and the choice. One
 * clash: "Keep mine" or "Use office's". Several: a choice per clash (each starting on whoever
 * changed it last) and "Save choices", or all one way. Stacked on a phone, side by side from
 * tablet width. What did not clash was saved when the edit first reached the server.
 */
export function ConflictCard({ entry, onChosen }: { entry: OutboxEntry; onChosen: () => void }) {
  const seq = entry.seq as number
  const db = activeDb()
  const views =
    useLiveQuery(
      () => (db ? explainClashes(db, entry) : Promise.resolve([])),
      // By content: the queue list hands a new entry object on every change to the queue, and
      // keying on its identity restarted the query (and blanked the card) each time.
      [seq, JSON.stringify(entry.conflicts)],
    ).value ?? []
  const picked = useSignal<Record<string, Choice>>({})
  const choiceOf = (v: ClashView) => picked.value[v.key] ?? v.suggested
  const choose = (choices: Record<string, Choice>) =>
    void resolveConflictWith(seq, choices).then(onChosen)
  const all = (choice: Choice) => choose(Object.fromEntries(views.map((v) => [v.key, choice])))
  const many = views.length > 1
  const single = views[0]
  return (
    // Named for the action: with two conflicts on screen, two regions "Choose what to keep" and
    // two "Keep mine" buttons could not be told apart by name.
    <section
      class="conflict"
      data-testid="conflict"
      aria-label={`Choose what to keep: ${entry.label}`}
    >
      <p class="conflict-intro">{entry.reason ?? 'The office changed this too.'}</p>
      {views.map((v) => (
        <fieldset class="clash" key={v.key} data-testid="clash">
          <legend class="clash-label">{v.label}</legend>
          {many ? (
            <div class="clash-options">
              <Option
                seq={seq}
                view={v}
                side="server"
                checked={choiceOf(v) === 'server'}
                onPick={pick}
              />
              <Option
                seq={seq}
                view={v}
                side="mine"
                checked={choiceOf(v) === 'mine'}
                onPick={pick}
              />
            </div>
          ) : (
            <dl class="clash-options">
              <div class="clash-side">
                <dt>Office:</dt>
                <dd>{v.office}</dd>
              </div>
              <div class="clash-side">
                <dt>You:</dt>
                <dd>{v.mine}</dd>
              </div>
            </dl>
          )}
        </fieldset>
      ))}
      <div class="button-row conflict-buttons">
        {many && (
          <button
            type="button"
            class="button primary"
            aria-label={`Save choices: ${entry.label}`}
            onClick={() => choose(Object.fromEntries(views.map((v) => [v.key, choiceOf(v)])))}
          >
            Save choices
          </button>
        )}
        <button
          type="button"
          class={`button${!many && single?.suggested === 'mine' ? ' primary' : ''}`}
          // One string: a hidden span after the words was read "Keep mine : …" (a stray space).
          aria-label={`${many ? 'Keep all mine' : 'Keep mine'}: ${entry.label}`}
          onClick={() => all('mine')}
        >
          {many ? 'Keep all mine' : 'Keep mine'}
        </button>
        <button
          type="button"
          class={`button${!many && single?.suggested === 'server' ? ' primary' : ''}`}
          aria-label={`${many ? "Use all office's" : "Use office's"}: ${entry.label}`}
          onClick={() => all('server')}
        >
          {many ? "Use all office's" : "Use office's"}
        </button>
      </div>
    </section>
  )

  function pick(key: string, choice: Choice) {
    picked.value = { ...picked.value, [key]: choice }
  }
}

function Option(props: {
  seq: number
  view: ClashView
  side: Choice
  checked: boolean
  onPick: (key: string, choice: Choice) => void
}) {
  const { view, side } = props
  const who = side === 'server' ? 'Office' : 'You'
  return (
    <label class={`clash-side clash-option${props.checked ? ' on' : ''}`}>
      <input
        type="radio"
        name={`clash-${props.seq}-${view.key}`}
        checked={props.checked}
        onChange={() => props.onPick(view.key, side)}
      />
      <span>
        <strong>{who}:</strong> {side === 'server' ? view.office : view.mine}
        {view.suggested === side && <span class="muted"> (changed it last)</span>}
      </span>
    </label>
  )
}
