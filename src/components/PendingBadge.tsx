import type { OutboxStatus } from '../../offline/outboxEntry'
import { conflictSeqOf } from '../data/outboxState'
import { href } from '../data/router'

const WORDS: Record<OutboxStatus, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  failed: 'Failed',
  conflict: 'Conflict',
}

/**
 * The mark on anything not yet on the server, in the words of Offline Actions. Given the
 * entity's id, a Conflict mark is a link straight to its card, where the technician chooses.
 */
export function PendingBadge({ status, id }: { status: OutboxStatus | undefined; id?: string }) {
  if (!status) return null
  const seq = status === 'conflict' && id ? conflictSeqOf(id) : undefined
  if (seq !== undefined) {
    return (
      <a
        class={`badge badge-${status}`}
        href={href({ name: 'actions', focus: seq })}
        onClick={(e) => e.stopPropagation()}
      >
        {WORDS[status]}
      </a>
    )
  }
  return <span class={`badge badge-${status}`}>{WORDS[status]}</span>
}
