import { createHash, randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assertProperty } from '../property/run'
import { ALEX, jobOf, mutation, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * A PDF with bytes before its `%PDF-` header (a byte-order mark, a blank line, a gateway's
 * leftovers) opens in every reader, which look for the header in the first 1024 bytes; the device
 * takes it as it takes any PDF. The server used to want the header at byte 0, so such a file was
 * refused 415 on every retry and its attachment never saved. Any prefix: a header that starts
 * within the first 1024 bytes is uploaded, attached and served back byte for byte; one further
 * in is refused 415 as before.
 */
let server: TestServer
let alex: string
let jobId: string
beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  jobId = (await jobOf(server, ALEX)).id
})
afterAll(() => server.close())

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const BODY = Buffer.from(
  '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n',
  'latin1',
)
/** Readers look for the header in the first 1024 bytes: it may start at byte 1019 at the latest. */
const LAST_START = 1024 - '%PDF-'.length

/** Bytes before the header: text-like leftovers or anything at all, up to past the window. */
const prefixArb = fc
  .oneof(
    fc
      .constantFrom('\ufeff', '\r\n', ' \n\n', 'HTTP/1.1 200 OK\r\n\r\n')
      .map((t) => Buffer.from(t)),
    fc.uint8Array({ maxLength: 1100 }).map((a) => Buffer.from(a)),
    fc.integer({ min: LAST_START - 3, max: LAST_START + 3 }).map((n) => Buffer.alloc(n, 0x20)),
  )
  // Not a photo's first bytes: those are a photo (sniff.ts checks them first), not this case.
  .filter((p) => p.length === 0 || ![0xff, 0x89, 0x52, 0x25].includes(p[0] as number))
  .filter((p) => p.subarray(4, 8).toString('latin1') !== 'ftyp')

/** Uploads prefix + a small PDF as Alex; expects what a reader would make of it. */
async function checkPrefix(prefix: Buffer): Promise<void> {
  const file = Buffer.concat([prefix, BODY])
  const header = file.indexOf('%PDF-', 0, 'latin1')
  const id = randomUUID()
  const put = await server.request(alex, {
    method: 'PUT',
    url: `/api/attachments/${id}/file`,
    headers: { 'content-type': 'application/pdf', 'x-content-sha256': sha(file) },
    payload: file,
  })
  if (header > LAST_START) {
    expect({ header, status: put.statusCode }).toEqual({ header, status: 415 })
    expect(put.json().error).toBe('unsupported_type')
    return
  }
  expect({ header, status: put.statusCode, body: put.body }).toMatchObject({
    header,
    status: 201,
  })
  const add = mutation(
    'attachment.add',
    {
      id,
      jobId,
      kind: 'pdf',
      filename: 'Warranty.pdf',
      mimeType: 'application/pdf',
      size: file.length,
      sha256: sha(file),
      takenAt: new Date().toISOString(),
      thumbnail: null,
    },
    1,
  )
  const pushed = await pushAs(server, alex, randomUUID(), [add])
  expect(pushed.json().results[0]).toMatchObject({ status: 'applied' })
  const got = await server.request(alex, {
    method: 'GET',
    url: `/api/attachments/${id}/file`,
  })
  expect(got.statusCode).toBe(200)
  expect(got.headers['content-type']).toBe('application/pdf')
  expect(Buffer.compare(got.rawPayload, file)).toBe(0)
}

// A property of many requests: well past the 20 s default when other test files share the CPU.
const TIMEOUT = 180_000

describe('a PDF with bytes before its header', () => {
  it(
    'is stored, attached and served when the header starts in the first 1024 bytes; refused 415 beyond',
    async () => {
      // The edge of the window, whatever the property draws.
      await checkPrefix(Buffer.alloc(LAST_START, 0x20))
      await checkPrefix(Buffer.alloc(LAST_START + 1, 0x20))
      await assertProperty('pdf header offset', prefixArb, checkPrefix, 60)
    },
    TIMEOUT,
  )
})
