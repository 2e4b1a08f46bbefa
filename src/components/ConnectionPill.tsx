import { connection } from '../data/connection'
import { conflictCount, pendingCount } from '../data/outboxState'
import { syncPhase } from '../data/sync'

const WORDS = { online: 'Online', weak: 'Weak signal', offline: 'Offline' } as const

/**
 * Always-visible connection state, the number of actions waiting to upload, and the Conflicts
 * that wait for the technician ("1 needs you") — those are counted there, not twice. On a narrow
 * phone with a Conflict the state word is hidden from sight (the dot's colour and the accessible
 * name keep it) so the screen's title keeps its room.
 */
export function ConnectionPill() {
  const state = connection.value
  const needsYou = conflictCount.value
  const waiting = pendingCount.value - needsYou
  const busy = syncPhase.value === 'uploading' && waiting > 0
  const label = `${WORDS[state]}${waiting > 0 ? `, ${waiting} waiting to upload` : ''}${needsYou > 0 ? `, ${needsYou} needs you` : ''}`
  return (
    <a
      class={`pill pill-${state}${needsYou > 0 ? ' pill-needs-you' : ''}`}
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
      {needsYou > 0 && (
        <span class="pill-needs" data-testid="needs-you">
          {needsYou} needs you
        </span>
      )}
    </a>
  )
}
