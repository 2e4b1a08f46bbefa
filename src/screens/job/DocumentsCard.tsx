import { documentTotals, formatCents, invoiceBalanceCents } from '../../../protocol/money'
import { PendingBadge } from '../../components/PendingBadge'
import { countedPayments, pendingStatus } from '../../data/outboxState'
import type { JobDetail } from '../../data/queries'
import { href } from '../../data/router'
import './DocumentsCard.css'

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
      <h2 class="card-title">Estimates and invoices</h2>
      <ul class="rows">
        {d.estimates.map((e) => (
          <li key={e.id} class={pendingStatus(e.id) ? 'pending' : ''}>
            <a
              class="doc-row"
              href={href({ name: 'doc', jobId, kind: 'estimate', docId: e.id })}
              data-testid="estimate"
            >
              <span>
                <strong>
                  Estimate <span class="nowrap">{e.number}</span>
                </strong>{' '}
                · {WORDS[e.status]} <PendingBadge status={pendingStatus(e.id)} />
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
                  <strong>
                    Invoice <span class="nowrap">{i.number}</span>
                  </strong>{' '}
                  · {WORDS[i.status]} <PendingBadge status={pendingStatus(i.id)} />
                </span>
                <span class="money">
                  {formatCents(documentTotals(i).totalCents)}{' '}
                  <small class="muted">· owed {formatCents(balance)}</small>
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
