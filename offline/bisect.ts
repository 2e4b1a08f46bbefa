import type { ApiError } from '../protocol/auth'
import { requestJson } from './http'
import type { LocalDb } from './localDb'
import { clearServerErrors, failAll, markServerError, releaseSuspect, retryEntry } from './outbox'
import type { OutboxEntry } from './outboxEntry'

/** A failed upload as bisection sees it: the server's status, or no answer in time. */
export type ServerFailure = { kind: 'server'; status: number } | { kind: 'timeout' }

/**
 * Failures alone before an entry is blamed: a 500 is the server's own verdict; a timeout or a
 * gateway error may be the link, so it needs more. With a link failing 18 % of pushes at random
 * (the soak's mix), an innocent entry is blamed about once in 10^4 bisections, and then the
 * second chance below usually lets it through.
 */
const TO_BLAME = { fiveHundred: 3, other: 4 }

/**
 * A server that is slow, not stuck, must not get an innocent action blamed: each try of an entry
 * alone gets twice as long as the last (20 s, 40 s, 80 s… in the app; the soak's 1.5 s becomes
 * 12 s), up to this many doublings. An action the server really hangs on still times out.
 */
const MAX_DOUBLINGS = 3

/**
 * Finds the one action the server cannot take, so it cannot hold back everything behind it.
 *
 * A batch the server answers with a 5xx (other than 503) or does not answer in time may hold an
 * action the server fails on. Resending it whole could fail forever, so each failure halves the
 * batch its entries may lead (outbox.ts nextBatch) until the suspect is alone. Once it has
 * failed alone TO_BLAME times in a row while the server answers its health check, it is set aside
 * as Failed ("1 action could not upload", Retry or Discard) and the rest goes on. If the very next
 * upload fails too, the server is at fault, not the action: it is put back as Queued. When the
 * rest has gone, each entry set aside gets one more try, now behind everything else (as Retry
 * would send it); failing again, it stays Failed.
 *
 * 503 (the server's database is down, with Retry-After) never blames a batch: it is retried
 * later, whole, like being offline.
 *
 * A batch refused (400) for what one of its actions carries is narrowed the same way, but at
 * once and without counting: a refusal is the server's answer, not a link's mishap, so the entry
 * refused alone is Failed with the server's own reason and the rest goes on (`refused`).
 */
export class Bisection {
  /** Set aside as Failed in this drain, until another upload succeeds and proves it. */
  private suspect: OutboxEntry | null = null
  /** Ids of the entries set aside in this drain, and whether they had their second chance. */
  private readonly setAside = new Set<string>()
  private secondChanceGiven = false

  constructor(private readonly db: LocalDb) {}

  static blames(res: { kind: string; status?: number }): res is ServerFailure {
    if (res.kind === 'timeout') return true
    return res.kind === 'server' && (res.status ?? 0) >= 500 && res.status !== 503
  }

  /**
   * Is this refusal about what one action of the batch carries, so that the batch without it
   * would go through? The server names the field of a refusal (protocol/issueText.ts), and for
   * an action that is its place in the batch: `mutations.3.seq must be …` (an older server also
   * refused a batch whole for an unknown action name or a bad `at`). Anything else concerns the
   * request as a whole and every part of it would be refused alike: 401 (session), 403 (another
   * user's or installation's device, origin), 413 (too large), 426 (update), a malformed device
   * id. Those keep their own handling (syncEngine.ts).
   */
  static isolates(res: { status: number; error: ApiError }): boolean {
    return res.status === 400 && ACTION_FIELD.test(res.error.message)
  }

  /**
   * Records a batch refused for one of its actions (`isolates`). More than one entry: they go
   * back to Queued and the batch is split where the server said the problem is (the entries
   * before it lead the next batch; at the first entry, it goes alone), else in half. Alone: it
   * is Failed with the server's reason and the others start afresh. Returns the change in the
   * number of Failed entries. Each refusal makes the first entry's batch shorter, so this ends.
   */
  async refused(batch: OutboxEntry[], error: ApiError): Promise<number> {
    if (batch.length > 1) {
      const at = Number(ACTION_FIELD.exec(error.message)?.[1])
      const split = at >= 0 && at < batch.length ? Math.max(1, at) : batch.length / 2
      await markServerError(this.db, batch, Math.floor(split))
      return 0
    }
    const alone = batch[0] as OutboxEntry
    await failAll(this.db, [alone], error.message, error.error)
    if (alone.batchLimit !== undefined) await clearServerErrors(this.db)
    return 1
  }

  /**
   * How long to wait for the answer to `batch`: the base, or for an entry under suspicion on its
   * own, longer after each failure (and longest for its second chance).
   */
  timeoutFor(batch: OutboxEntry[], baseMs: number): number {
    const alone = batch.length === 1 ? (batch[0] as OutboxEntry) : null
    if (!alone) return baseMs
    const doublings = this.setAside.has(alone.id) ? MAX_DOUBLINGS : (alone.serverErrors ?? 0)
    return baseMs * 2 ** Math.min(doublings, MAX_DOUBLINGS)
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
      this.setAside.delete(suspect.id)
      await clearServerErrors(this.db)
      await releaseSuspect(this.db, suspect, batch)
      return { next: 'stop', failed: -1 }
    }
    await markServerError(this.db, batch)
    const alone = batch.length === 1 ? (batch[0] as OutboxEntry) : null
    const isFiveHundred = res.kind === 'server' && res.status === 500
    const secondTry = alone !== null && this.secondChanceGiven && this.setAside.has(alone.id)
    const needed = isFiveHundred ? TO_BLAME.fiveHundred : TO_BLAME.other
    if (alone && (secondTry || (alone.serverErrors ?? 0) + 1 >= needed)) {
      if (!secondTry && !(await serverAnswers())) return { next: 'stop', failed: 0 }
      await failAll(this.db, [alone], cannotTake(res), 'server_error')
      await clearServerErrors(this.db)
      this.suspect = alone
      this.setAside.add(alone.id)
      return { next: 'next', failed: 1 }
    }
    // A 500 came back at once, so the server is up: split right away. A timeout or a gateway
    // error may be the link: the smaller batch waits for the backoff.
    return { next: isFiveHundred ? 'next' : 'stop', failed: 0 }
  }

  /**
   * Once the queue has nothing else to send: queues each entry set aside in this drain again,
   * behind everything that went, for one last try. Returns how many (no longer Failed).
   */
  async secondChances(): Promise<number> {
    if (this.secondChanceGiven || this.setAside.size === 0) return 0
    this.secondChanceGiven = true
    this.suspect = null
    const entries = await this.db.outbox.filter((e) => this.setAside.has(e.id)).toArray()
    for (const e of entries) {
      if (e.status === 'failed' && e.code === 'server_error')
        await retryEntry(this.db, e.seq as number)
    }
    return entries.length
  }
}

/** A refusal's field inside one action of the batch, with the action's place. */
const ACTION_FIELD = /^mutations\.(\d+)\./

function cannotTake(res: ServerFailure): string {
  return res.kind === 'timeout'
    ? 'The server did not answer for this action, try after try, while it answered the others. It is kept here; Retry it later, or Discard it.'
    : `The server failed on this action (error ${res.status}) every time, while your other actions could upload. It is kept here; Retry it later, or Discard it.`
}

/** Does the server answer at all right now? Tells "this action" from "the server" being at fault. */
async function serverAnswers(): Promise<boolean> {
  const res = await requestJson<{ ok: boolean }>('/api/health', { timeoutMs: 5_000 })
  return res.kind === 'ok' && res.body.ok === true
}
