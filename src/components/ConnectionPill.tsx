import { connection } from '../data/connection'
import { conflictCount, failedCount, pendingCount } from '../data/outboxState'
import { uploadInFlight } from '../data/statusWords'
import './ConnectionPill.css'

const WORDS = { online: 'Online', weak: 'Weak signal', offline: 'Offline' } as const

/**
 * Always-visible connection state, the number of actions waiting to upload, and the Conflicts
 * that wait for the technician ("1 needs you"; counted there, not twice). Its name is its visible
 * text and then what the number means ("Offline 2 waiting to upload"), so a voice command naming
 * what is seen finds it. On a narrow phone with a Conflict the state word is hidden from sight
 * (the dot's shape and colour, and the name, keep it) so the screen's title keeps its room.
 */
export function ConnectionPill() {
  const state = connection.value
  const needsYou = conflictCount.value
  const waiting = pendingCount.value - needsYou
  const busy = uploadInFlight.value && waiting > 0
  // Failed actions wait for the technician (Retry or Discard), not for signal: the count turns
  // red and its name says so, so a glance does not read them as "it will sort itself out".
  const failed = failedCount.value
  return (
    <>
      <a
        class={`pill pill-${state}${needsYou > 0 ? ' pill-needs-you' : ''}`}
        href="#/settings/actions"
        data-testid="connection"
        aria-describedby="connection-goes"
      >
        <span class="dot" aria-hidden="true" />
        <span class="pill-word">{WORDS[state]}</span>
        {waiting > 0 && (
          <span
            class={`pill-count${failed > 0 ? ' failed' : busy ? ' busy' : ''}`}
            data-testid="pending-count"
          >
            {waiting}
          </span>
        )}
        {/* What the number means follows it ("Offline 2 waiting to upload"); with "1 needs you"
            shown too, it follows that instead, so the name holds what is seen as it is seen
            ("Offline 8 1 needs you, 8 waiting to upload"), not cut in two (WCAG 2.5.3). */}
        {waiting > 0 && needsYou === 0 && (
          <span class="visually-hidden"> {countWords(waiting, failed)}</span>
        )}
        {needsYou > 0 && (
          <span class="pill-needs" data-testid="needs-you">
            {needsYou} {needsYou === 1 ? 'needs' : 'need'} you
          </span>
        )}
        {waiting > 0 && needsYou > 0 && (
          <span class="visually-hidden">
            , {waiting} {countWords(waiting, failed)}
          </span>
        )}
      </a>
      {/* Where the link goes: its visible words are a state, not a destination (WCAG 2.4.4), so
          it is said as the link's description (ARIA1), outside the link so it is not in its name:
          there, "Offline Actions" named two links on Settings (this and the menu item), and a
          voice or test command naming what is seen there hit both. */}
      <span class="visually-hidden" id="connection-goes">
        Opens Offline Actions
      </span>
    </>
  )
}

/**
 * What the number counts, read after it. The failed ones are among the waiting (the count is of
 * everything not uploaded): "1 could not upload", not "1 waiting to upload, 1 could not upload",
 * which read as two actions.
 */
function countWords(waiting: number, failed: number): string {
  if (failed === 0) return 'waiting to upload'
  if (failed === waiting) return 'could not upload'
  return `waiting to upload, ${failed} of them could not upload`
}
