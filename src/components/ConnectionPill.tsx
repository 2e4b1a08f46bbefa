import { connection } from '../data/connection'
import { pendingCount } from '../data/outboxState'
import { uploadInFlight } from '../data/statusWords'
import './ConnectionPill.css'

const WORDS = { online: 'Online', weak: 'Weak signal', offline: 'Offline' } as const

/**
 * Always-visible connection state and the number of actions waiting to upload. Its name is its
 * visible text and then what the number means ("Offline 2 waiting to upload"), so a voice
 * command naming what is seen finds it.
 */
export function ConnectionPill() {
  const state = connection.value
  const waiting = pendingCount.value
  const busy = uploadInFlight.value && waiting > 0
  return (
    <a class={`pill pill-${state}`} href="#/settings/actions" data-testid="connection">
      <span class="dot" aria-hidden="true" />
      <span class="pill-word">{WORDS[state]}</span>
      {waiting > 0 && (
        <span class={`pill-count${busy ? ' busy' : ''}`} data-testid="pending-count">
          {waiting}
        </span>
      )}
      {waiting > 0 && <span class="visually-hidden"> waiting to upload</span>}
    </a>
  )
}
