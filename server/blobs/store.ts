import type { Readable } from 'node:stream'

/**
 * Where attachment bytes live, keyed by attachment id. The metadata (sha256, size, type, who
 * uploaded) is in the attachment_files table; a store only keeps bytes. Chosen in main.ts
 * (BLOB_STORE): a local folder (blobs/local.ts) with SQLite, the `attachment_blobs` table
 * (blobs/postgres.ts) with PostgreSQL, so several API instances share every file.
 *
 * An S3-compatible store plugs in here: put = PutObject (atomic per object), get = GetObject
 * (its Body stream and ContentLength), has = HeadObject, delete = DeleteObject, keyed by the id; every instance
 * points at the same bucket. Nothing else changes: the routes only talk to this interface.
 *
 * put() must be atomic: after a crash the id holds either the old bytes, the new ones, or
 * nothing, never half a file. put() of the same id and bytes twice must succeed (the seed and
 * a retried upload do it).
 */
export interface BlobStore {
  put(id: string, bytes: Uint8Array): Promise<void>
  /** The bytes as a stream with their length, or null when the id holds nothing. */
  get(id: string): Promise<{ stream: Readable; size: number } | null>
  has(id: string): Promise<boolean>
  /** Removes the bytes of the id; nothing happens when it holds none. */
  delete(id: string): Promise<void>
  /** Releases connections, if the store holds any. */
  close?(): Promise<void>
}
