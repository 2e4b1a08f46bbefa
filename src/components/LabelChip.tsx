import type { OutboxStatus } from '../../offline/outboxEntry'
import type { Label } from '../../protocol/entities'
import { PendingBadge } from './PendingBadge'
import './LabelChip.css'

/**
 * A label as a chip; the colour is a stripe, the text stays dark for sunlight. A label added or
 * removed offline says so in words (Queued), not only with the highlight.
 */
export function LabelChip(props: { label: Label; status?: OutboxStatus; onRemove?: () => void }) {
  return (
    <span
      class={`chip${props.status ? ' pending' : ''}`}
      style={{ borderLeftColor: props.label.color }}
    >
      {props.label.name}
      <PendingBadge status={props.status} />
      {props.onRemove && (
        <button
          type="button"
          class="chip-x"
          aria-label={`Remove label ${props.label.name}`}
          onClick={props.onRemove}
        >
          ×
        </button>
      )}
    </span>
  )
}
