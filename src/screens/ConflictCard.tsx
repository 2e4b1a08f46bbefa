import type { OutboxEntry } from '../../offline/outboxEntry'
import { keepMyValue, useOfficeValue } from '../data/commands'
import { formatStamp } from '../format'

const show = (v: unknown) =>
  typeof v === 'object' && v !== null && 'startsAt' in v
    ? `${formatStamp(String((v as { startsAt: string }).startsAt))}`
    : Array.isArray(v)
      ? `${v.length} line${v.length === 1 ? '' : 's'}`
      : v === null || v === ''
        ? '(blank)'
        : String(v)

/** A Conflict in Offline Actions: what the office and the technician each changed, and the choice. */
export function ConflictCard({ entry: e }: { entry: OutboxEntry }) {
  const seq = e.seq as number
  return (
    <div class="action-failed" data-testid="conflict">
      <p>The office changed this too. Choose which to keep:</p>
      <table class="conflict-table">
        <thead>
          <tr>
            <th>Field</th>
            <th>Office's</th>
            <th>Yours</th>
          </tr>
        </thead>
        <tbody>
          {(e.conflicts ?? []).map((c) => (
            <tr key={c.field}>
              <td>{c.field}</td>
              <td>{show(c.server)}</td>
              <td>{show(c.mine)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="button-row">
        <button type="button" class="button small primary" onClick={() => void keepMyValue(seq)}>
          Keep mine
        </button>
        <button type="button" class="button small" onClick={() => void useOfficeValue(seq)}>
          Use office's
        </button>
      </div>
    </div>
  )
}
