import { useEffect, useRef } from 'preact/hooks'
import { useMeasuredHeight } from '../app/useMeasuredHeight'
import { connection } from '../data/connection'
import { refreshNow, syncPhase } from '../data/sync'
import { ConnectionPill } from './ConnectionPill'
import { Icon } from './Icon'
import './TopBar.css'

/** "Job #1254", "E-1254-1": kept on one line, never broken at the hyphen. */
const NUMBER = /(#\d+|\b[A-Z]-\d+(?:-\d+)*)/

function withNumbersKept(title: string) {
  return title.split(NUMBER).map((part, i) =>
    i % 2 === 1 ? (
      <span key={i} class="nowrap">
        {part}
      </span>
    ) : (
      part
    ),
  )
}

/**
 * Each screen's header: an optional back link, the title, connection state and Refresh. The
 * title is the screen's h1: navigation moves focus to it (tabIndex -1) and names the tab.
 */
export function TopBar(props: { title: string; back?: string }) {
  const bar = useRef<HTMLElement>(null)
  useMeasuredHeight(bar, '--top-bar-height')
  useEffect(() => {
    document.title = `${props.title} · Fieldline`
  }, [props.title])
  // Spinning means "working"; on a dead link the attempt is only waiting for its time limit.
  const busy = syncPhase.value !== 'idle' && connection.value === 'online'
  return (
    <header class="top-bar" ref={bar}>
      {props.back && (
        <a class="icon-button" href={props.back} aria-label="Back">
          <Icon name="back" />
        </a>
      )}
      <h1 tabIndex={-1}>{withNumbersKept(props.title)}</h1>
      <div class="top-bar-actions">
        <ConnectionPill />
        <button
          type="button"
          class={`icon-button${busy ? ' spinning' : ''}`}
          aria-label="Refresh"
          data-testid="refresh"
          onClick={() => void refreshNow()}
        >
          <Icon name="refresh" />
        </button>
      </div>
    </header>
  )
}
