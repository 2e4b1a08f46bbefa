import type { LocalDb } from './localDb'
import type { OutboxEntry } from './outboxEntry'

export type FileOutcome =
  | { kind: 'ok' }
  | { kind: 'offline' | 'timeout' | 'unauthenticated' }
  | { kind: 'server'; status: number }
  | { kind: 'refused'; code: string; message: string }

/** Slow links get time in proportion to the file: 20 s plus 1 s per 32 KB. */
const timeoutFor = (bytes: number) => 20_000 + Math.ceil(bytes / 32_768) * 1_000

/**
 * Uploads a queued photo or PDF on its own request, raw bytes keyed by the attachment id and
 * its SHA-256 (no FormData anywhere: Safari cannot store it). The server keeps the first copy
 * and answers the same for a resend, so an upload cut short is simply sent again.
 */
export async function uploadFile(db: LocalDb, entry: OutboxEntry): Promise<FileOutcome> {
  const file = entry.file
  if (!file) return { kind: 'ok' }
  const row = await db.files.get(file.id)
  if (!row) {
    return { kind: 'refused', code: 'file_lost', message: 'The file is no longer on this device.' }
  }
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutFor(file.size))
  try {
    const res = await fetch(`/api/attachments/${encodeURIComponent(file.id)}/file`, {
      method: 'PUT',
      headers: { 'content-type': file.mimeType, 'x-content-sha256': file.sha256 },
      body: row.data,
      credentials: 'same-origin',
      signal: controller.signal,
    })
    if (res.ok) return { kind: 'ok' }
    if (res.status === 401) return { kind: 'unauthenticated' }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      return { kind: 'server', status: res.status }
    }
    const body = (await res.json().catch(() => ({}))) as { error?: string; message?: string }
    return {
      kind: 'refused',
      code: body.error ?? `http_${res.status}`,
      message: body.message ?? `The server refused the file (${res.status}).`,
    }
  } catch {
    return { kind: controller.signal.aborted ? 'timeout' : 'offline' }
  } finally {
    clearTimeout(timer)
  }
}

/** Fetches the full photo or PDF of an attachment into the device (pre-load, or on open). */
export async function downloadFile(db: LocalDb, id: string, size: number): Promise<boolean> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutFor(size))
  try {
    const res = await fetch(`/api/attachments/${encodeURIComponent(id)}/file`, {
      credentials: 'same-origin',
      signal: controller.signal,
    })
    if (!res.ok) return false
    const data = await res.arrayBuffer()
    await db.files.put({
      id,
      data,
      type: res.headers.get('content-type') ?? 'application/octet-stream',
    })
    return true
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
