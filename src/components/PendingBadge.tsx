import type { OutboxStatus } from '../../offline/outboxEntry'
import { itemStatus, type ShownStatus } from '../data/statusWords'
import './PendingBadge.css'

const WORDS: Record<ShownStatus, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  waiting: 'Waiting for signal',
  failed: 'Failed',
  conflict: 'Conflict',
}

/**
 * The mark on anything not yet on the server, in the words of Offline Actions. `shown` is a
 * status already worked out (Offline Actions); `status` is the queue's, for an item on a screen.
 */
export function PendingBadge(props: { status?: OutboxStatus; shown?: ShownStatus }) {
  const shown = props.shown ?? (props.status ? itemStatus(props.status) : undefined)
  if (!shown) return null
  return <span class={`badge badge-${shown}`}>{WORDS[shown]}</span>
}
