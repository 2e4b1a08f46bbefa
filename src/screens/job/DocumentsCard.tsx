import { documentTotals, formatCents, invoiceBalanceCents } from '../../../protocol/money'
import { PendingBadge } from '../../components/PendingBadge'
import { countedPayments, pendingStatus } from '../../data/outboxState'
import type { JobDetail } from '../../data/queries'
import { href } from '../../data/router'

const WORDS: Record<string, string> = {
  draft: 'Draft',
  sent: 'Sent',
  approved: 'Approved',
  declined: 'Declined',
  paid: 'Paid',
  void: 'Void',
}

/** Estimates and invoices of the job, with totals and (invoices) what is still owed. */
export function DocumentsCard({ d }: { d: JobDetail }) {
  const jobId = d.job.id
  return (
    <section class="card" data-testid="documents">
      <h3>Estimates and invoices</h3>
      <ul class="rows">
        {d.estimates.map((e) => (
          <li key={e.id} class={pendingStatus(e.id) ? 'pending' : ''}>
            <a
              class="doc-row"
              href={href({ name: 'doc', jobId, kind: 'estimate', docId: e.id })}
              data-testid="estimate"
            >
              <span>
                <strong>Estimate {e.number}</strong> · {WORDS[e.status]}{' '}
                <PendingBadge status={pendingStatus(e.id)} />
              </span>
              <span class="money">{formatCents(documentTotals(e).totalCents)}</span>
            </a>
          </li>
        ))}
        {d.invoices.map((i) => {
          const balance = invoiceBalanceCents(
            i,
            countedPayments(d.payments.filter((p) => p.invoiceId === i.id)),
          )
          return (
            <li key={i.id} class={pendingStatus(i.id) ? 'pending' : ''}>
              <a
                class="doc-row"
                href={href({ name: 'doc', jobId, kind: 'invoice', docId: i.id })}
                data-testid="invoice"
              >
                <span>
                  <strong>Invoice {i.number}</strong> · {WORDS[i.status]}{' '}
                  <PendingBadge status={pendingStatus(i.id)} />
                </span>
                <span class="money">
                  {formatCents(documentTotals(i).totalCents)}
                  <small class="muted"> · owed {formatCents(balance)}</small>
                </span>
              </a>
            </li>
          )
        })}
      </ul>
      <div class="button-row">
        <a class="button" href={href({ name: 'doc', jobId, kind: 'estimate', docId: 'new' })}>
          New estimate
        </a>
        <a class="button" href={href({ name: 'doc', jobId, kind: 'invoice', docId: 'new' })}>
          New invoice
        </a>
      </div>
    </section>
  )
}
