import { Readable } from 'node:stream'
import pg from 'pg'
import type { BlobStore } from './store'

/**
 * Attachment bytes in a PostgreSQL table (`attachment_blobs`, bytea, created by migration
 * 0003), the default when DATABASE_URL is postgres: every API instance behind the load balancer
 * sees every file, and the bytes share the database's backups and durability.
 *
 * It has its own small pool on purpose. The upload route calls put() while its transaction holds
 * a connection of the app's pool; if put() also needed one of those, enough concurrent uploads
 * would hold every connection while waiting for one more: a pool deadlock.
 *
 * put() is one INSERT … ON CONFLICT statement, atomic by itself. get() reads the whole value
 * (files are at most 20 MB); an object store would stream instead (see store.ts).
 */
export class PostgresBlobStore implements BlobStore {
  private readonly pool: pg.Pool

  constructor(url: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 4 })
    // An idle client's connection can drop (database restart); the next query reconnects.
    this.pool.on('error', () => {})
  }

  async put(id: string, bytes: Uint8Array): Promise<void> {
    await this.pool.query(
      `insert into attachment_blobs (id, bytes) values ($1, $2)
       on conflict (id) do update set bytes = excluded.bytes`,
      [id, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)],
    )
  }

  async get(id: string): Promise<{ stream: Readable; size: number } | null> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>(
      'select bytes from attachment_blobs where id = $1',
      [id],
    )
    const bytes = rows[0]?.bytes
    if (!bytes) return null
    return { stream: Readable.from([bytes]), size: bytes.length }
  }

  async has(id: string): Promise<boolean> {
    const { rows } = await this.pool.query('select 1 from attachment_blobs where id = $1', [id])
    return rows.length > 0
  }

  async delete(id: string): Promise<void> {
    await this.pool.query('delete from attachment_blobs where id = $1', [id])
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
