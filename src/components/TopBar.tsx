import type { ComponentChildren } from 'preact'
import { syncNow, syncPhase } from '../data/sync'
import { ConnectionPill } from './ConnectionPill'
import { Icon } from './Icon'

/** Each screen's header: an optional back link, the title, connection state and Refresh. */
export function TopBar(props: { title: ComponentChildren; back?: string }) {
  const busy = syncPhase.value !== 'idle'
  return (
    <header class="top-bar">
      {props.back && (
        <a class="icon-button" href={props.back} aria-label="Back">
          <Icon name="back" />
        </a>
      )}
      <h1>{props.title}</h1>
      <ConnectionPill />
      <button
        type="button"
        class={`icon-button${busy ? ' spinning' : ''}`}
        aria-label="Refresh"
        data-testid="refresh"
        onClick={() => void syncNow({ pull: true })}
      >
        <Icon name="refresh" />
      </button>
    </header>
  )
}
