import type { Readable } from 'node:stream'

/**
 * Where attachment bytes live, keyed by attachment id. The metadata (sha256, size, type, who
 * uploaded) is in the attachment_files table; a store only keeps bytes. Chosen in app wiring:
 * a local folder by default; a PostgreSQL-table store can implement the same interface for
 * deployments with several API instances.
 *
 * put() must be atomic: after a crash the id holds either the old bytes, the new ones, or
 * nothing, never half a file.
 */
export interface BlobStore {
  put(id: string, bytes: Uint8Array): Promise<void>
  /** The bytes as a stream with their length, or null when the id holds nothing. */
  get(id: string): Promise<{ stream: Readable; size: number } | null>
  has(id: string): Promise<boolean>
}
