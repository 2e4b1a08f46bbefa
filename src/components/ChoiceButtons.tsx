import './ChoiceButtons.css'

/**
 * A few options as big side-by-side buttons (Yes / No; Cash / Check / Other). Underneath they are
 * native radio buttons, so they take one Tab stop, move with the arrow keys and are read as
 * "radio button, 1 of 3". The radio itself is hidden inside its label; the label shows the
 * choice and the keyboard focus.
 */
export function ChoiceButtons<T extends string | boolean>(props: {
  legend: string
  /** The legend is for screen readers only (the choices speak for themselves on screen). */
  legendHidden?: boolean
  name: string
  options: ReadonlyArray<{ value: T; label: string }>
  value: T | null
  onChange: (value: T) => void
}) {
  return (
    <fieldset class="choices">
      <legend class={props.legendHidden ? 'visually-hidden' : undefined}>{props.legend}</legend>
      <div class="choice-row">
        {props.options.map((o) => (
          <label key={String(o.value)} class={`choice${props.value === o.value ? ' on' : ''}`}>
            <input
              type="radio"
              name={props.name}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  )
}
