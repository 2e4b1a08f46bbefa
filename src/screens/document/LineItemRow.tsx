import { formatCents, lineTotalCents } from '../../../protocol/money'
import { type FormProblem, fieldProps } from '../../components/FormError'
import { Icon } from '../../components/Icon'
import type { Row } from '../documentDraft'

/** A line as typed, read: NaN quantity or null price while what is typed is not a number. */
export interface ParsedLine {
  quantity: number
  unitPriceCents: number | null
}

/**
 * One line of an estimate or invoice being edited: Description, Quantity × Unit price, its
 * total, and a bin to remove it. Field names (`line-2-price`) are what the form's error names.
 */
export function LineItemRow(props: {
  row: Row
  index: number
  parsed: ParsedLine | undefined
  /** The only line: it cannot be removed. */
  only: boolean
  problem: FormProblem | null
  errorId: string
  /** Given to the Description field of a line that should take the keyboard. */
  takeFocus?: (el: HTMLInputElement | null) => void
  onChange: (patch: Partial<Row>) => void
  onRemove: () => void
}) {
  const { row: r, index: i, parsed: p, problem, errorId, onChange } = props
  const line =
    p && p.unitPriceCents !== null && Number.isFinite(p.quantity)
      ? lineTotalCents({ quantity: p.quantity, unitPriceCents: p.unitPriceCents })
      : null
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value
  return (
    <li class="line" data-testid="line-item">
      {/* Each line is a named group, so a screen reader hears "Line 2" before its
          Description, Quantity and Unit price: the fields keep the names they show. */}
      <fieldset class="line-fields">
        <legend class="visually-hidden">Line {i + 1}</legend>
        <label class="line-field">
          <span>Description</span>
          <input
            {...fieldProps(problem, `line-${i}-description`, errorId)}
            ref={props.takeFocus}
            value={r.description}
            maxLength={500}
            onInput={(e) => onChange({ description: value(e) })}
          />
        </label>
        <div class="line-numbers">
          <label class="line-field qty">
            <span>Quantity</span>
            <input
              {...fieldProps(problem, `line-${i}-quantity`, errorId)}
              inputMode="decimal"
              value={r.quantity}
              onInput={(e) => onChange({ quantity: value(e) })}
            />
          </label>
          <span class="times" aria-hidden="true">
            ×
          </span>
          <label class="line-field price">
            <span>Unit price</span>
            <input
              {...fieldProps(problem, `line-${i}-price`, errorId)}
              inputMode="decimal"
              placeholder="0.00"
              value={r.price}
              onInput={(e) => onChange({ price: value(e) })}
            />
          </label>
          <span class="money">
            <span class="visually-hidden">Line total </span>
            {line === null ? '—' : formatCents(line)}
          </span>
          <button
            type="button"
            class="icon-button"
            aria-label={`Remove line ${i + 1}`}
            disabled={props.only}
            onClick={props.onRemove}
          >
            {/* A bin, not ×: beside "1.5 × 115.00" a second × read as multiply. */}
            <Icon name="trash" />
          </button>
        </div>
      </fieldset>
    </li>
  )
}
