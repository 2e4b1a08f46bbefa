import { HttpError } from '../http/errors'

/** Pushes of one instance in the database at once (PUSH_CONCURRENCY). */
export const DEFAULT_PUSH_CONCURRENCY = 3

/**
 * How many pushes one instance lets into the database at once; the others wait here, in order.
 *
 * Why: every writing transaction takes the revision counter's row lock (revs.ts), so pushes run
 * one at a time across the whole company whatever the number of instances. Letting 10 into the
 * pool only parks 9 of them on that lock, each holding a pool connection, and pulls, which need
 * no lock, then queue behind them for a connection (seen in the fleet bench: delta pulls waiting
 * seconds while the database was idle). Waiting here costs no connection. A few in flight keep
 * the lock busy while the next one gets ready.
 *
 * Bounded: past `maxWaiting` waiting pushes an instance answers 503 with Retry-After (nothing was
 * applied; the device keeps its queue and tries again), rather than holding ever more bodies.
 */
export class PushGate {
  private active = 0
  private readonly waiting: Array<() => void> = []

  constructor(
    private readonly limit: number,
    private readonly maxWaiting = 500,
  ) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new HttpError(
          503,
          'busy',
          'The server is busy with other uploads. Nothing was lost: your actions stay on this device and upload shortly.',
          { 'Retry-After': '2' },
        )
      }
      // The slot is handed over by the push that leaves (below), so none can jump the queue.
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.active++
    }
    try {
      return await fn()
    } finally {
      const next = this.waiting.shift()
      if (next) next()
      else this.active--
    }
  }
}
