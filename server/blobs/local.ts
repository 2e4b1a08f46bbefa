import { randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { BlobStore } from './store'

/** Ids are UUIDs; anything else could walk out of the folder, so it is refused outright. */
const SAFE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Files in a local folder, sharded by the id's first two characters (ab/abcd…) so no directory
 * grows to hundreds of thousands of entries. A put writes `<name>.<random>.tmp`, fsyncs it and
 * renames it over the final name: a crash leaves either the whole file or a stray .tmp, never a
 * half-written file under the real name.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  private path(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`Not a blob id: ${id}`)
    const key = id.toLowerCase()
    return join(this.root, key.slice(0, 2), key)
  }

  async put(id: string, bytes: Uint8Array): Promise<void> {
    const final = this.path(id)
    await mkdir(dirname(final), { recursive: true })
    const temp = `${final}.${randomUUID()}.tmp`
    try {
      const file = await open(temp, 'wx')
      try {
        await file.writeFile(bytes)
        await file.sync()
      } finally {
        await file.close()
      }
      await rename(temp, final)
    } catch (err) {
      await rm(temp, { force: true })
      throw err
    }
  }

  async get(id: string) {
    if (!SAFE_ID.test(id)) return null
    const path = this.path(id)
    try {
      const info = await stat(path)
      return { stream: createReadStream(path), size: info.size }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  async delete(id: string): Promise<void> {
    if (!SAFE_ID.test(id)) return
    await rm(this.path(id), { force: true })
  }

  async has(id: string): Promise<boolean> {
    if (!SAFE_ID.test(id)) return false
    try {
      return (await stat(this.path(id))).isFile()
    } catch {
      return false
    }
  }
}

/** FILES_DIR, or `files` beside the SQLite file (data/files by default). */
export function defaultFilesDir(databaseFile: string, filesDir?: string): string {
  return resolve(filesDir || join(dirname(databaseFile), 'files'))
}
