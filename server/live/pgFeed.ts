import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { type Kysely, sql } from 'kysely'
import pg from 'pg'
import type { Database } from '../db/schema'
import { type ChangeScope, LocalChangeFeed } from './feed'

export const CHANNEL = 'fieldline_changes'
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; a longer list becomes everyone. */
const MAX_PAYLOAD = 7_000
const RETRY_MIN_MS = 1_000
const RETRY_MAX_MS = 30_000

/** What goes over NOTIFY: the sending instance (to skip its own echo) and the scope. */
interface Payload {
  i: string
  s: ChangeScope
}

/**
 * Several instances on one PostgreSQL: a write on instance B must wake a stream held by A.
 * publish() signals this instance's streams at once, then sends `pg_notify` through the pool
 * (after the writer's commit, so a device that pulls on it sees the write). One dedicated
 * connection per instance LISTENs, opened with the first stream, and hands other instances'
 * signals to the local streams. If it drops (database restart, network), it reconnects with a
 * backoff, and once back signals everyone here: what was sent meanwhile is lost, and one extra
 * pull is the cheap way to cover it. Meanwhile devices fall back to their own timer.
 */
export class PgChangeFeed extends LocalChangeFeed {
  private readonly instance = randomUUID()
  private client: pg.Client | null = null
  private listening = false
  private closed = false
  private connectedOnce = false
  private retryMs = RETRY_MIN_MS
  private retryTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly db: Kysely<Database>,
    private readonly url: string,
    private readonly log?: FastifyBaseLogger,
  ) {
    super()
  }

  override publish(scope: ChangeScope): void {
    this.emit(scope)
    let text = JSON.stringify({ i: this.instance, s: scope } satisfies Payload)
    if (text.length > MAX_PAYLOAD) text = JSON.stringify({ i: this.instance, s: 'everyone' })
    sql`select pg_notify(${CHANNEL}, ${text})`.execute(this.db).catch((err: unknown) => {
      this.log?.warn({ err }, 'change signal not sent to other instances')
    })
  }

  override subscribe(listener: (scope: ChangeScope) => void): () => void {
    if (!this.listening) {
      this.listening = true
      void this.listen()
    }
    return super.subscribe(listener)
  }

  private async listen(): Promise<void> {
    if (this.closed) return
    const client = new pg.Client({ connectionString: this.url })
    this.client = client
    let failed = false
    const fail = (err?: unknown) => {
      if (failed) return
      failed = true
      if (this.client === client) this.client = null
      client.removeAllListeners('notification')
      void client.end().catch(() => {})
      if (this.closed) return
      this.log?.warn({ err }, `LISTEN connection lost; reconnecting in ${this.retryMs} ms`)
      this.retryTimer = setTimeout(() => void this.listen(), this.retryMs)
      this.retryTimer.unref()
      this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS)
    }
    client.on('error', fail)
    client.on('end', () => fail())
    client.on('notification', (msg) => this.receive(msg.payload))
    try {
      await client.connect()
      await client.query(`listen ${CHANNEL}`)
    } catch (err) {
      fail(err)
      return
    }
    if (this.closed) {
      void client.end().catch(() => {})
      return
    }
    this.retryMs = RETRY_MIN_MS
    if (this.connectedOnce) this.emit('everyone')
    this.connectedOnce = true
  }

  private receive(payload: string | undefined): void {
    try {
      const message = JSON.parse(payload ?? '') as Payload
      if (message.i === this.instance) return
      if (message.s === 'everyone' || Array.isArray(message.s?.users)) this.emit(message.s)
    } catch {
      // Not ours (someone else on the channel): ignore.
    }
  }

  override async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.retryTimer)
    const client = this.client
    this.client = null
    await client?.end().catch(() => {})
    await super.close()
  }
}
