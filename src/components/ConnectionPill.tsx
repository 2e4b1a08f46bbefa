import { connection } from '../data/connection'
import { pendingCount } from '../data/outboxState'
import { syncPhase } from '../data/sync'

const WORDS = { online: 'Online', weak: 'Weak signal', offline: 'Offline' } as const

/** Always-visible connection state and the number of actions waiting to upload. */
export function ConnectionPill() {
  const state = connection.value
  const waiting = pendingCount.value
  const busy = syncPhase.value === 'uploading' && waiting > 0
  const label = `${WORDS[state]}${waiting > 0 ? `, ${waiting} waiting to upload` : ''}`
  return (
    <a
      class={`pill pill-${state}`}
      href="#/settings/actions"
      data-testid="connection"
      aria-label={label}
    >
      <span class="dot" aria-hidden="true" />
      <span class="pill-word">{WORDS[state]}</span>
      {waiting > 0 && (
        <span
          class={`pill-count${busy ? ' busy' : ''}`}
          data-testid="pending-count"
          title={`${waiting} waiting to upload`}
        >
          {waiting}
        </span>
      )}
    </a>
  )
}
