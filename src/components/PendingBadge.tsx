import type { OutboxStatus } from '../../offline/outboxEntry'
import { conflictSeqOf } from '../data/outboxState'
import { href } from '../data/router'
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
 * Given the entity's id, a Conflict mark is a link straight to its card, where the technician
 * chooses.
 */
export function PendingBadge(props: { status?: OutboxStatus; shown?: ShownStatus; id?: string }) {
  const shown = props.shown ?? (props.status ? itemStatus(props.status) : undefined)
  if (!shown) return null
  const seq = shown === 'conflict' && props.id ? conflictSeqOf(props.id) : undefined
  if (seq !== undefined) {
    return (
      <a
        class={`badge badge-${shown}`}
        href={href({ name: 'actions', focus: seq })}
        onClick={(e) => e.stopPropagation()}
      >
        {WORDS[shown]}
      </a>
    )
  }
  return <span class={`badge badge-${shown}`}>{WORDS[shown]}</span>
}
