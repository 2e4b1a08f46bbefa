import type { Customer } from '../../../protocol/entities'
import { Icon } from '../../components/Icon'

/** Job customer: name, tap-to-call phones, email, address. */
export function CustomerCard({ customer, jobAddress }: { customer: Customer; jobAddress: string }) {
  return (
    <section class="card" data-testid="customer">
      <h2 class="card-title">Customer</h2>
      <p class="strong">{customer.name}</p>
      {customer.phones.map((p) => (
        <a key={p} class="row-link" href={`tel:${p.replace(/[^+\d]/g, '')}`}>
          <Icon name="phone" />
          {/* The icon says "call" to the eye; the name says it in words ("Call (555) 781-0808"). */}
          <span>
            <span class="visually-hidden">Call </span>
            {p}
          </span>
        </a>
      ))}
      {customer.email && (
        <a class="row-link" href={`mailto:${customer.email}`}>
          <span>
            <span class="visually-hidden">Email </span>
            {customer.email}
          </span>
        </a>
      )}
      {customer.address !== jobAddress && <p class="muted">{customer.address}</p>}
    </section>
  )
}
