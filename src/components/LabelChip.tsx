import type { Label } from '../../protocol/entities'

/** A label as a chip; the colour is a stripe, the text stays dark for sunlight. */
export function LabelChip(props: { label: Label; pending?: boolean; onRemove?: () => void }) {
  return (
    <span
      class={`chip${props.pending ? ' pending' : ''}`}
      style={{ borderLeftColor: props.label.color }}
    >
      {props.label.name}
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
