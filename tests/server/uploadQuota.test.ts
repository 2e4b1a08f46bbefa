import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { purgeUnattachedUploads } from '../../server/blobs/purge'
import {
  MAX_UNATTACHED_BYTES,
  MAX_UNATTACHED_FILES,
  UNATTACHED_TTL_MS,
} from '../../server/blobs/quota'
import {
  ALEX,
  JORDAN,
  jobOf,
  mutation,
  pushAs,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

/**
 * Uploads that no attachment.add ever names: at most MAX_UNATTACHED_FILES files or
 * MAX_UNATTACHED_BYTES per user in a day (413 with a sentence beyond), and deleted, row and
 * bytes, once a day old (purgeUnattachedUploads).
 */

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
})
afterAll(() => server.close())

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
/** A small, distinct JPEG (the server judges files by their first bytes). */
const jpeg = (n: number) =>
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`file ${n} ${randomUUID()}`)])

function upload(cookie: string, id: string, bytes: Buffer) {
  return server.request(cookie, {
    method: 'PUT',
    url: `/api/attachments/${id}/file`,
    headers: { 'content-type': 'image/jpeg', 'x-content-sha256': sha(bytes) },
    payload: bytes,
  })
}

function attach(cookie: string, jobId: string, id: string, bytes: Buffer, seq: number) {
  const add = mutation(
    'attachment.add',
    {
      id,
      jobId,
      kind: 'photo',
      filename: 'Boiler.jpg',
      mimeType: 'image/jpeg',
      size: bytes.length,
      sha256: sha(bytes),
      takenAt: new Date().toISOString(),
      thumbnail: null,
    },
    seq,
  )
  return pushAs(server, cookie, randomUUID(), [add])
}

async function hasRow(id: string): Promise<boolean> {
  const row = await server.db.kysely
    .selectFrom('attachment_files')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst()
  return row !== undefined
}

const QUOTA_MESSAGE =
  'Too many photos and files are uploaded but not yet saved to a job (at most 100 files or 200 MB a day). Retry later: uploads that were never saved to a job are cleared after a day.'

describe('the quota of unattached uploads', () => {
  it(`stores exactly ${MAX_UNATTACHED_FILES} of a burst sent at once; the rest are 413 with a sentence`, async () => {
    const cookie = await server.signIn(SAM)
    const files = Array.from({ length: MAX_UNATTACHED_FILES + 10 }, (_, n) => ({
      id: randomUUID(),
      bytes: jpeg(n),
    }))
    const answers = await Promise.all(files.map((f) => upload(cookie, f.id, f.bytes)))
    const stored = files.filter((_, i) => answers[i]?.statusCode === 201)
    const refused = files.filter((_, i) => answers[i]?.statusCode === 413)
    expect(stored.length).toBe(MAX_UNATTACHED_FILES)
    expect(refused.length).toBe(10)
    const one = answers.find((a) => a.statusCode === 413)
    expect(one?.json()).toEqual({ error: 'upload_quota', message: QUOTA_MESSAGE })
    // A refused upload leaves nothing: no row, no bytes.
    for (const f of refused) {
      expect(await hasRow(f.id)).toBe(false)
      expect(await server.blobs.has(f.id)).toBe(false)
    }

    // A resend of a stored file is still a harmless duplicate, not a quota refusal.
    const first = stored[0] as { id: string; bytes: Buffer }
    expect((await upload(cookie, first.id, first.bytes)).statusCode).toBe(200)

    // Attaching a file frees its place: the next upload is stored.
    const job = await jobOf(server, SAM)
    const added = await attach(cookie, job.id, first.id, first.bytes, 1)
    expect(added.json().results[0].status).toBe('applied')
    expect((await upload(cookie, randomUUID(), jpeg(1000))).statusCode).toBe(201)
    expect((await upload(cookie, randomUUID(), jpeg(1001))).statusCode).toBe(413)

    // Another technician has a quota of their own.
    expect((await upload(await server.signIn(ALEX), randomUUID(), jpeg(2000))).statusCode).toBe(201)

    // A day later the old uploads no longer count (even before the purge has run).
    const saved = server.clock.now
    server.clock.now = new Date(saved.getTime() + UNATTACHED_TTL_MS + 60_000)
    try {
      expect((await upload(cookie, randomUUID(), jpeg(1002))).statusCode).toBe(201)
    } finally {
      server.clock.now = saved
    }
  })

  it(`refuses an upload that would take the user past ${MAX_UNATTACHED_BYTES / 1024 / 1024} MB`, async () => {
    const cookie = await server.signIn(JORDAN)
    const jordan = await server.userId(JORDAN)
    const small = jpeg(1)
    // Metadata only: what the quota counts is the size recorded for each unattached upload.
    // Two rows that leave room for `small` and 5 bytes more.
    const taken = MAX_UNATTACHED_BYTES - small.length - 5
    await server.db.kysely
      .insertInto('attachment_files')
      .values(
        [Math.floor(taken / 2), Math.ceil(taken / 2)].map((size) => ({
          id: randomUUID(),
          sha256: '0'.repeat(64),
          size,
          mime_type: 'image/jpeg',
          uploaded_by: jordan,
          created_at: server.clock.now.toISOString(),
        })),
      )
      .execute()
    expect((await upload(cookie, randomUUID(), small)).statusCode).toBe(201)
    const res = await upload(cookie, randomUUID(), jpeg(123456789))
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toBe('upload_quota')
  })
})

describe('purgeUnattachedUploads', () => {
  it('deletes uploads never attached within a day, rows and bytes; keeps the rest', async () => {
    const cookie = await server.signIn(ALEX)
    const job = await jobOf(server, ALEX)
    const saved = server.clock.now
    const old = { id: randomUUID(), bytes: jpeg(1) }
    const oldAttached = { id: randomUUID(), bytes: jpeg(2) }
    const fresh = { id: randomUUID(), bytes: jpeg(3) }
    server.clock.now = new Date(saved.getTime() - UNATTACHED_TTL_MS - 60_000)
    try {
      expect((await upload(cookie, old.id, old.bytes)).statusCode).toBe(201)
      expect((await upload(cookie, oldAttached.id, oldAttached.bytes)).statusCode).toBe(201)
      const added = await attach(cookie, job.id, oldAttached.id, oldAttached.bytes, 1)
      expect(added.json().results[0].status).toBe('applied')
    } finally {
      server.clock.now = saved
    }
    expect((await upload(cookie, fresh.id, fresh.bytes)).statusCode).toBe(201)
    const attachedBefore = await server.db.kysely.selectFrom('attachments').select('id').execute()

    const purged = await purgeUnattachedUploads(server.db.kysely, server.blobs, saved)
    // Only `old`: the earlier tests' uploads are not a day old yet.
    expect(purged).toBe(1)
    expect(await hasRow(old.id)).toBe(false)
    expect(await server.blobs.has(old.id)).toBe(false)
    for (const kept of [oldAttached, fresh]) {
      expect(await hasRow(kept.id)).toBe(true)
      expect(await server.blobs.has(kept.id)).toBe(true)
    }
    // Every attachment (the seed's included) still has its file.
    for (const { id } of attachedBefore) expect(await hasRow(id)).toBe(true)
    // Idempotent.
    expect(await purgeUnattachedUploads(server.db.kysely, server.blobs, saved)).toBe(0)

    // A late attachment.add of a purged upload is refused file_missing; uploading it again
    // (what Retry in Offline Actions does) lets it through.
    const late = await attach(cookie, job.id, old.id, old.bytes, 2)
    expect(late.json().results[0]).toMatchObject({ status: 'rejected', code: 'file_missing' })
    expect((await upload(cookie, old.id, old.bytes)).statusCode).toBe(201)
    const retried = await attach(cookie, job.id, old.id, old.bytes, 3)
    expect(retried.json().results[0].status).toBe('applied')
  })

  it('purges in chunks: more than one transaction worth', async () => {
    const sam = await server.userId(SAM)
    const at = new Date(server.clock.now.getTime() - UNATTACHED_TTL_MS - 1000).toISOString()
    const ids = Array.from({ length: 250 }, () => randomUUID())
    await server.db.kysely
      .insertInto('attachment_files')
      .values(
        ids.map((id) => ({
          id,
          sha256: '0'.repeat(64),
          size: 1,
          mime_type: 'image/jpeg',
          uploaded_by: sam,
          created_at: at,
        })),
      )
      .execute()
    for (const id of ids.slice(0, 3)) await server.blobs.put(id, jpeg(0))
    expect(await purgeUnattachedUploads(server.db.kysely, server.blobs, server.clock.now)).toBe(250)
    for (const id of ids.slice(0, 3)) expect(await server.blobs.has(id)).toBe(false)
  })
})
