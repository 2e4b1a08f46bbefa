import { EventEmitter } from 'node:events'

/**
 * Who a committed write may concern. Technicians hold only their own jobs (and the company's
 * labels), so a write names the technicians whose jobs it touched; the office sees every job, so
 * dispatchers' streams take every signal. `everyone` is for what every device holds (labels) and
 * for "a signal may have been missed" (the LISTEN connection came back).
 */
export type ChangeScope = { users: string[] } | 'everyone'

/** Does a change of `scope` concern this user? */
export function concerns(scope: ChangeScope, user: { id: string; role: string }): boolean {
  return scope === 'everyone' || user.role === 'dispatcher' || scope.users.includes(user.id)
}

/**
 * "Something in these users' scope changed", from the writers (after their transaction
 * committed) to the open event streams. It carries no data: devices pull to learn what changed,
 * so a lost or extra signal costs at most one pull and never makes data wrong.
 */
export interface ChangeFeed {
  /** After a commit. Never throws and never waits: a failed signal only delays devices. */
  publish(scope: ChangeScope): void
  /** Returns the unsubscribe function. */
  subscribe(listener: (scope: ChangeScope) => void): () => void
  close(): Promise<void>
}

/** One process (SQLite: there is only one API process). */
export class LocalChangeFeed implements ChangeFeed {
  protected readonly bus = new EventEmitter()

  constructor() {
    // One listener per open stream; hundreds are normal, not a leak.
    this.bus.setMaxListeners(0)
  }

  publish(scope: ChangeScope): void {
    this.emit(scope)
  }

  protected emit(scope: ChangeScope): void {
    this.bus.emit('change', scope)
  }

  subscribe(listener: (scope: ChangeScope) => void): () => void {
    this.bus.on('change', listener)
    return () => {
      this.bus.off('change', listener)
    }
  }

  async close(): Promise<void> {
    this.bus.removeAllListeners()
  }
}
