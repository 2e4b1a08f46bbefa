import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_FILE_BYTES } from '../../protocol/mutations'
import { encodePng } from '../../server/db/seed/png'
import {
  ALEX,
  DANA,
  jobOf,
  mutation,
  pushAs,
  richJob,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

let server: TestServer
let alex: string
let sam: string
let dana: string

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  sam = await server.signIn(SAM)
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const png = encodePng(8, 8, (u, v) => [u * 255, v * 255, 128])
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)])

function upload(
  cookie: string | null,
  id: string,
  bytes: Buffer,
  type = 'image/png',
  hash = sha(bytes),
) {
  return server.request(cookie, {
    method: 'PUT',
    url: `/api/attachments/${id}/file`,
    headers: { 'content-type': type, 'x-content-sha256': hash },
    payload: bytes,
  })
}

describe('attachment files', () => {
  it('stores a good upload, and a repeat is an idempotent duplicate', async () => {
    const id = randomUUID()
    const first = await upload(alex, id, png)
    expect(first.statusCode).toBe(201)
    expect(first.json()).toEqual({ stored: true, duplicate: false })
    expect(await server.blobs.has(id)).toBe(true)

    const again = await upload(alex, id, png)
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual({ stored: true, duplicate: true })

    const other = await upload(alex, id, jpeg, 'image/jpeg')
    expect(other.statusCode).toBe(409)
    expect(other.json().error).toBe('conflict')

    // Its bytes lost while the row stayed: the device's resend puts them back.
    await server.blobs.delete(id)
    const resent = await upload(alex, id, png)
    expect(resent.json()).toEqual({ stored: true, duplicate: true })
    expect(await server.blobs.has(id)).toBe(true)
  })

  it('needs a session', async () => {
    const res = await upload(null, randomUUID(), png)
    expect(res.statusCode).toBe(401)
  })

  it('refuses a body whose hash does not match with 400 hash_mismatch', async () => {
    const res = await upload(alex, randomUUID(), png, 'image/png', sha(jpeg))
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toBe('hash_mismatch')
  })

  it('checks the type by the first bytes, with 415 and a reason', async () => {
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 1)])
    const asJpeg = await upload(alex, randomUUID(), exe, 'image/jpeg')
    expect(asJpeg.statusCode).toBe(415)
    expect(asJpeg.json().error).toBe('unsupported_type')

    const text = Buffer.from('hello, I am not a photo')
    expect((await upload(alex, randomUUID(), text, 'image/jpeg')).statusCode).toBe(415)

    const pngAsJpeg = await upload(alex, randomUUID(), png, 'image/jpeg')
    expect(pngAsJpeg.statusCode).toBe(415)
    expect(pngAsJpeg.json().message).toBe(
      'The file was sent as image/jpeg but its content is image/png.',
    )

    const declaredText = await upload(alex, randomUUID(), text, 'text/plain')
    expect(declaredText.statusCode).toBe(415)

    // Every accepted type by its magic numbers.
    const pdf = Buffer.from('%PDF-1.4\n%test\n')
    expect((await upload(alex, randomUUID(), pdf, 'application/pdf')).statusCode).toBe(201)
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')])
    expect((await upload(alex, randomUUID(), webp, 'image/webp')).statusCode).toBe(201)
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic'),
      Buffer.alloc(4),
      Buffer.from('mif1heic'),
    ])
    expect((await upload(alex, randomUUID(), heic, 'image/heic')).statusCode).toBe(201)
    expect((await upload(alex, randomUUID(), jpeg, 'image/jpeg')).statusCode).toBe(201)
  })

  it('refuses a file over 20 MB with 413', async () => {
    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0)
    big.set([0xff, 0xd8, 0xff], 0)
    const res = await upload(alex, randomUUID(), big, 'image/jpeg')
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toBe('payload_too_large')
    expect(res.json().message).toContain(String(MAX_FILE_BYTES))
  })

  it('serves the file to its technician and the office, and 404 to others', async () => {
    const job = await jobOf(server, ALEX)
    const id = randomUUID()
    await upload(alex, id, png)
    const add = mutation(
      'attachment.add',
      {
        id,
        jobId: job.id,
        kind: 'photo',
        filename: 'Kitchen sink.png',
        mimeType: 'image/png',
        size: png.length,
        sha256: sha(png),
        takenAt: new Date().toISOString(),
        thumbnail: null,
      },
      1,
    )
    const pushed = await pushAs(server, alex, randomUUID(), [add])
    expect(pushed.json().results[0].status).toBe('applied')

    const res = await server.request(alex, { method: 'GET', url: `/api/attachments/${id}/file` })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.headers['content-disposition']).toContain('inline; filename="Kitchen sink.png"')
    expect(Buffer.compare(res.rawPayload, png)).toBe(0)

    expect(
      (await server.request(dana, { method: 'GET', url: `/api/attachments/${id}/file` }))
        .statusCode,
    ).toBe(200)
    const other = await server.request(sam, { method: 'GET', url: `/api/attachments/${id}/file` })
    expect(other.statusCode).toBe(404)
    // Uploaded but never added: no job, nothing to serve.
    const orphan = randomUUID()
    await upload(alex, orphan, png)
    expect(
      (await server.request(alex, { method: 'GET', url: `/api/attachments/${orphan}/file` }))
        .statusCode,
    ).toBe(404)
  })

  it("an id's other spelling names nothing: another user's upper-case twin cannot touch a file", async () => {
    const job = await jobOf(server, ALEX)
    const id = randomUUID()
    expect((await upload(alex, id, png)).statusCode).toBe(201)
    const add = mutation(
      'attachment.add',
      {
        id,
        jobId: job.id,
        kind: 'photo',
        filename: 'Meter.png',
        mimeType: 'image/png',
        size: png.length,
        sha256: sha(png),
        takenAt: new Date().toISOString(),
        thumbnail: null,
      },
      1,
    )
    expect((await pushAs(server, alex, randomUUID(), [add])).json().results[0].status).toBe(
      'applied',
    )
    // The local file store names files case-blind; the database compared ids as text.
    const twin = await upload(sam, id.toUpperCase(), jpeg, 'image/jpeg')
    expect(twin.statusCode).toBe(400)
    expect(twin.json().message).toContain('lower case')
    const mine = await server.request(alex, { method: 'GET', url: `/api/attachments/${id}/file` })
    expect(Buffer.compare(mine.rawPayload, png)).toBe(0)
    // Nor as an action's id: the schema names the rule.
    const upper = mutation(
      'note.add',
      {
        id: randomUUID().toUpperCase(),
        jobId: job.id,
        body: 'x',
        createdAt: new Date().toISOString(),
      },
      1,
    )
    const pushed = (await pushAs(server, alex, randomUUID(), [upper])).json().results[0]
    expect(pushed.status).toBe('rejected')
    expect(pushed.reason).toContain('lower case')
  })

  it("serves the seed's files with the right bytes", async () => {
    const job = await richJob(server)
    const rows = await server.db.kysely
      .selectFrom('attachments')
      .select(['id', 'sha256', 'mime_type', 'kind', 'size'])
      .where('job_id', '=', job.id)
      .execute()
    expect(rows.map((r) => r.kind).sort()).toEqual(['pdf', 'photo', 'photo'])
    for (const row of rows) {
      const res = await server.request(alex, {
        method: 'GET',
        url: `/api/attachments/${row.id}/file`,
      })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe(row.mime_type)
      expect(res.rawPayload.length).toBe(row.size)
      expect(sha(res.rawPayload)).toBe(row.sha256)
    }
  })
})
