import type { ComponentChildren } from 'preact'
import type { OutboxStatus } from '../../offline/outboxEntry'
import { PendingBadge } from './PendingBadge'
import './VisitCard.css'

/**
 * One appointment in a list (Today, Jobs): when on the left, what and where on the right, the
 * whole card one link to the job.
 */
export function VisitCard(props: {
  href: string | undefined
  /** The big line and the small one under it, e.g. "9:00 AM" / "10:30 AM". */
  when: [string, string]
  title: string
  status: OutboxStatus | undefined
  testId?: string
  children: ComponentChildren
}) {
  return (
    <a
      class={`card visit${props.status ? ' pending' : ''}`}
      href={props.href}
      data-testid={props.testId}
    >
      <span class="visit-time">
        <strong>{props.when[0]}</strong>
        <span>{props.when[1]}</span>
      </span>
      <span class="visit-body">
        <span class="visit-title">
          {props.title}
          <PendingBadge status={props.status} />
        </span>
        {props.children}
      </span>
    </a>
  )
}
