import { afterEach, describe, expect, it, vi } from 'vitest'
import { listOutbox } from '../../offline/outbox'
import { perform } from '../../offline/perform'
import { drain } from '../../offline/syncEngine'
import type { PushRequest } from '../../protocol/sync'
import { freshDb, noteArgs, tech } from './helpers'

/**
 * What the device does with the server's upload quota refusal (413 upload_quota): the photo
 * becomes Failed with the server's sentence, for Offline Actions to show, and the actions
 * queued after it still upload.
 */

const QUOTA = {
  error: 'upload_quota',
  message:
    'Too many photos and files are uploaded but not yet saved to a job (at most 100 files or 200 MB a day). Retry later: uploads that were never saved to a job are cleared after a day.',
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('an upload refused for the quota', () => {
  it('fails that photo with the sentence and lets the rest upload', async () => {
    const { db, jobs } = await freshDb()
    const job = jobs[1]!
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])
    const photo = await perform(
      db,
      tech,
      'attachment.add',
      {
        id: crypto.randomUUID(),
        jobId: job.id,
        kind: 'photo',
        filename: 'Boiler.jpg',
        mimeType: 'image/jpeg',
        size: bytes.length,
        sha256: 'a'.repeat(64),
        takenAt: new Date().toISOString(),
        thumbnail: null,
      },
      { blob: new Blob([bytes]) },
    )
    expect(photo.ok).toBe(true)
    // A note on another job: not held back by the photo.
    await perform(db, tech, 'note.add', noteArgs(jobs[0]!.id, 'after the photo'))

    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      if (init.method === 'PUT') return new Response(JSON.stringify(QUOTA), { status: 413 })
      const body = JSON.parse(String(init.body)) as PushRequest
      expect(url).toBe('/api/sync/push')
      return new Response(
        JSON.stringify({
          results: body.mutations.map((m) => ({ id: m.id, seq: m.seq, status: 'applied' })),
        }),
        { status: 200 },
      )
    })
    const report = await drain(db)
    expect(report).toMatchObject({ outcome: 'done', uploaded: 1, failed: 1 })
    const queue = await listOutbox(db)
    expect(queue).toHaveLength(1)
    expect(queue[0]).toMatchObject({
      name: 'attachment.add',
      status: 'failed',
      code: 'upload_quota',
      reason: QUOTA.message,
    })
  })
})
