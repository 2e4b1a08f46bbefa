import type { ServerResponse } from 'node:http'

/**
 * One open `text/event-stream` answer. `signal()` sends `event: changed`, at most one per
 * `coalesceMs`: a burst of writes (a dispatcher moving ten appointments) becomes one or two
 * pulls, and the last write is always followed by a signal. Heartbeats are comments, which
 * EventSource ignores; they only keep proxies from closing an idle connection.
 */
export class EventStream {
  private lastSent = 0
  private pending: NodeJS.Timeout | undefined
  private ended = false

  constructor(
    private readonly res: ServerResponse,
    private readonly coalesceMs: number,
  ) {}

  signal(): void {
    if (this.ended || this.pending) return
    const wait = this.lastSent + this.coalesceMs - Date.now()
    if (wait <= 0) {
      this.send()
      return
    }
    this.pending = setTimeout(() => this.send(), wait)
  }

  heartbeat(): void {
    if (!this.ended) this.res.write(': ping\n\n')
  }

  end(): void {
    if (this.ended) return
    this.ended = true
    clearTimeout(this.pending)
    this.res.end()
  }

  private send(): void {
    this.pending = undefined
    if (this.ended) return
    this.lastSent = Date.now()
    this.res.write('event: changed\ndata: 1\n\n')
  }
}
