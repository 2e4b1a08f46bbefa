import type { OutboxStatus } from '../../offline/outboxEntry'

const WORDS: Record<OutboxStatus, string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  failed: 'Failed',
  conflict: 'Conflict',
}

/** The mark on anything not yet on the server, in the words of Offline Actions. */
export function PendingBadge({ status }: { status: OutboxStatus | undefined }) {
  if (!status) return null
  return <span class={`badge badge-${status}`}>{WORDS[status]}</span>
}
