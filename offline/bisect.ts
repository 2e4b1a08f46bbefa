import { requestJson } from './http'
import type { LocalDb } from './localDb'
import { clearServerErrors, failAll, markServerError, setStatus } from './outbox'
import type { OutboxEntry } from './outboxEntry'

/** A failed upload as bisection sees it: the server's status, or no answer in time. */
export type ServerFailure = { kind: 'server'; status: number } | { kind: 'timeout' }

/**
 * Finds the one action the server cannot take, so it cannot hold back everything behind it.
 *
 * A batch the server answers with a 5xx (other than 503) or does not answer in time may hold an
 * action the server fails on. Resending it whole could fail forever, so each failure halves the
 * batch its entries may lead (outbox.ts nextBatch) until the suspect is alone. Once it has
 * failed alone again (twice for a 500, the server's own verdict; three times for a timeout or a
 * gateway error, which may be the link) while the server answers its health check, it is set
 * aside as Failed ("1 action could not upload", Retry or Discard) and the rest goes on. If the
 * very next upload fails too, the server is at fault, not the action: it is put back as Queued.
 *
 * 503 (the server's database is down, with Retry-After) never blames a batch: it is retried
 * later, whole, like being offline.
 */
export class Bisection {
  /** Set aside as Failed in this drain, until another upload succeeds and proves it. */
  private suspect: OutboxEntry | null = null

  constructor(private readonly db: LocalDb) {}

  static blames(res: { kind: string; status?: number }): res is ServerFailure {
    if (res.kind === 'timeout') return true
    return res.kind === 'server' && (res.status ?? 0) >= 500 && res.status !== 503
  }

  /** An upload went through: whatever was set aside was rightly blamed. */
  succeeded(): void {
    this.suspect = null
  }

  /**
   * Records a failed upload of `batch`. 'next': go on at once (a smaller batch, or the rest
   * after setting an entry aside); 'stop': wait for the backoff. `failed` is the change in the
   * number of Failed entries (+1 set aside, −1 put back).
   */
  async failed(
    batch: OutboxEntry[],
    res: ServerFailure,
  ): Promise<{ next: 'next' | 'stop'; failed: number }> {
    if (this.suspect) {
      const suspect = this.suspect
      this.suspect = null
      await clearServerErrors(this.db)
      const fresh = {
        reason: undefined,
        code: undefined,
        batchLimit: undefined,
        serverErrors: undefined,
      }
      await setStatus(this.db, [{ ...suspect, ...fresh }], 'queued')
      await setStatus(this.db, batch, 'queued')
      return { next: 'stop', failed: -1 }
    }
    await markServerError(this.db, batch)
    const alone = batch.length === 1 ? (batch[0] as OutboxEntry) : null
    const isFiveHundred = res.kind === 'server' && res.status === 500
    if (alone && (alone.serverErrors ?? 0) + 1 >= (isFiveHundred ? 2 : 3)) {
      if (!(await serverAnswers())) return { next: 'stop', failed: 0 }
      await failAll(this.db, [alone], cannotTake(res), 'server_error')
      await clearServerErrors(this.db)
      this.suspect = alone
      return { next: 'next', failed: 1 }
    }
    // A 500 came back at once, so the server is up: split right away. A timeout or a gateway
    // error may be the link: the smaller batch waits for the backoff.
    return { next: isFiveHundred ? 'next' : 'stop', failed: 0 }
  }
}

function cannotTake(res: ServerFailure): string {
  return res.kind === 'timeout'
    ? 'The server did not answer for this action, three times in a row, while it answered the others. It is kept here; Retry it later, or Discard it.'
    : `The server failed on this action (error ${res.status}) every time, while your other actions could upload. It is kept here; Retry it later, or Discard it.`
}

/** Does the server answer at all right now? Tells "this action" from "the server" being at fault. */
async function serverAnswers(): Promise<boolean> {
  const res = await requestJson<{ ok: boolean }>('/api/health', { timeoutMs: 5_000 })
  return res.kind === 'ok' && res.body.ok === true
}
