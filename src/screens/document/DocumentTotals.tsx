import { formatCents, type Totals } from '../../../protocol/money'

/** Subtotal, tax and total of what is typed; an invoice's balance after its payments too. */
export function DocumentTotals(props: { totals: Totals; balanceCents: number | null }) {
  const { totals } = props
  return (
    <dl class="totals" data-testid="totals">
      <dt>Subtotal</dt>
      <dd>{formatCents(totals.subtotalCents)}</dd>
      <dt>Tax</dt>
      <dd>{formatCents(totals.taxCents)}</dd>
      <dt>Total</dt>
      <dd class="strong">{formatCents(totals.totalCents)}</dd>
      {props.balanceCents !== null && (
        <>
          <dt>Balance</dt>
          <dd class="strong" data-testid="balance">
            {formatCents(props.balanceCents)}
          </dd>
        </>
      )}
    </dl>
  )
}
