import { formatCents, type Totals } from '../../../protocol/money'

/**
 * Subtotal, tax and total of what is typed. An invoice's balance is not here but on Payments,
 * once: it follows the saved invoice and its payments, not the lines being typed, and shown in
 * both places it was read twice and could differ while a line was edited.
 */
export function DocumentTotals(props: { totals: Totals }) {
  const { totals } = props
  return (
    <dl class="totals" data-testid="totals">
      <dt>Subtotal</dt>
      <dd>{formatCents(totals.subtotalCents)}</dd>
      <dt>Tax</dt>
      <dd>{formatCents(totals.taxCents)}</dd>
      <dt>Total</dt>
      <dd class="strong">{formatCents(totals.totalCents)}</dd>
    </dl>
  )
}
