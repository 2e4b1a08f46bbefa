import { useSignal } from '@preact/signals'
import { useId } from 'preact/hooks'
import type { Invoice, Payment, PaymentMethod } from '../../../protocol/entities'
import { formatCents, invoiceBalanceCents } from '../../../protocol/money'
import { ChoiceButtons } from '../../components/ChoiceButtons'
import { FormError, type FormProblem, fieldProps, showProblem } from '../../components/FormError'
import { PendingBadge } from '../../components/PendingBadge'
import { recordPayment } from '../../data/documentCommands'
import { countedPayments, pendingStatus } from '../../data/outboxState'
import { formatStamp, parseMoney } from '../../format'

const METHODS: Array<{ value: PaymentMethod; label: string }> = [
  { value: 'cash', label: 'Cash' },
  { value: 'check', label: 'Check' },
  { value: 'other', label: 'Other' },
]

/** Non-credit-card payments on an invoice: cash, check (with its number) or other. */
export function PaymentsCard({ invoice, payments }: { invoice: Invoice; payments: Payment[] }) {
  const method = useSignal<PaymentMethod>('cash')
  const amount = useSignal('')
  const reference = useSignal('')
  const error = useSignal<FormProblem | null>(null)
  const errorId = useId()
  const balance = invoiceBalanceCents(invoice, countedPayments(payments))
  async function save(e: Event) {
    e.preventDefault()
    const form = e.currentTarget as HTMLFormElement
    const cents = parseMoney(amount.value)
    if (!cents) {
      showProblem(form, error, { message: 'Enter an amount like 40.00.', field: 'amount' })
      return
    }
    // The command checks this too (against the device's payments at that moment); said here
    // first so it lands on the field, not as a page-level alert.
    if (cents > balance) {
      showProblem(form, error, {
        message: `A payment of ${formatCents(cents)} is more than the balance of ${formatCents(balance)}.`,
        field: 'amount',
      })
      return
    }
    if (method.value === 'check' && !reference.value.trim()) {
      showProblem(form, error, {
        message: 'A check payment needs the check number.',
        field: 'reference',
      })
      return
    }
    error.value = null
    // Clear before the save, not after it: an amount typed while it runs must not be wiped, and
    // a second tap cannot record the same amount twice. Put back on failure if still empty.
    const typed = { amount: amount.value, reference: reference.value }
    amount.value = ''
    reference.value = ''
    const res = await recordPayment(invoice, {
      method: method.value,
      amountCents: cents,
      reference: typed.reference.trim() || null,
      receivedAt: new Date().toISOString(),
    })
    if (!res.ok) {
      error.value = { message: res.message }
      if (!amount.value) amount.value = typed.amount
      if (!reference.value) reference.value = typed.reference
    }
  }
  return (
    <section class="card" data-testid="payments">
      <h2 class="card-title">Payments</h2>
      <ul class="rows">
        {payments.map((p) => (
          <li key={p.id} class={pendingStatus(p.id) ? 'pending' : ''} data-testid="payment">
            <span>
              {METHODS.find((m) => m.value === p.method)?.label}
              {p.reference ? ` #${p.reference}` : ''} · {formatStamp(p.receivedAt)}{' '}
              <PendingBadge status={pendingStatus(p.id)} />
            </span>
            <span class="money">{formatCents(p.amountCents)}</span>
          </li>
        ))}
      </ul>
      <p>
        Balance: <strong data-testid="balance">{formatCents(balance)}</strong>
      </p>
      {balance > 0 && invoice.status !== 'void' && (
        <form class="form" onSubmit={save}>
          <ChoiceButtons
            legend="Payment method"
            legendHidden
            name={`method-${invoice.id}`}
            options={METHODS}
            value={method.value}
            onChange={(m) => (method.value = m)}
          />
          <label>
            Amount
            <input
              {...fieldProps(error.value, 'amount', errorId)}
              inputMode="decimal"
              placeholder="0.00"
              value={amount.value}
              onInput={(e) => (amount.value = (e.currentTarget as HTMLInputElement).value)}
            />
          </label>
          {method.value !== 'cash' && (
            <label>
              {method.value === 'check' ? 'Check number' : 'Reference'}
              <input
                {...fieldProps(error.value, 'reference', errorId)}
                maxLength={100}
                value={reference.value}
                onInput={(e) => (reference.value = (e.currentTarget as HTMLInputElement).value)}
              />
            </label>
          )}
          <FormError id={errorId} problem={error.value} />
          <button type="submit" class="button primary">
            Record payment
          </button>
        </form>
      )}
    </section>
  )
}
