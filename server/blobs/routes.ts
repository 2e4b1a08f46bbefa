import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { isId } from '../../protocol/fields'
import { ATTACHMENT_TYPES, MAX_FILE_BYTES } from '../../protocol/mutations'
import { sessionUser } from '../auth/guard'
import type { AppContext } from '../context'
import { HttpError } from '../http/errors'
import { checkUploadQuota, lockUploader } from './quota'
import { sniffType } from './sniff'
import type { BlobStore } from './store'

const SHA256_HEX = /^[0-9a-f]{64}$/
const ACCEPTED = new Set<string>(ATTACHMENT_TYPES)

const notFound = () => new HttpError(404, 'not_found', 'No file with this id.')

/**
 * The bytes of attachments, on their own requests so the push queue never holds files.
 *
 * PUT comes first (the device uploads a photo before queueing attachment.add), so there is no
 * job to check yet: the upload is recorded with its uploader, and attachment.add checks that
 * the file is there, with the same sha256, uploaded by the same user. GET needs the attachment
 * record and the caller's access to its job.
 */
export function registerFileRoutes(app: FastifyInstance, ctx: AppContext, blobs: BlobStore): void {
  const db = ctx.db.kysely

  // Encapsulated: the raw-body parser applies to these routes only, never to the JSON API.
  app.register(async (files) => {
    files.removeAllContentTypeParsers()
    files.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES },
      (_r, body, done) => done(null, body),
    )

    files.put<{ Params: { id: string } }>(
      '/api/attachments/:id/file',
      { bodyLimit: MAX_FILE_BYTES },
      async (request, reply) => {
        const user = sessionUser(request)
        const { id } = request.params
        if (!isId(id))
          throw new HttpError(
            400,
            'invalid_request',
            'The attachment id must be a UUID in lower case.',
          )

        const declared = String(request.headers['content-type'] ?? '')
          .split(';')[0]
          ?.trim()
          .toLowerCase()
        if (!declared || (!ACCEPTED.has(declared) && declared !== 'application/octet-stream')) {
          throw new HttpError(
            415,
            'unsupported_type',
            `Files must be a JPEG, PNG, WebP or HEIC photo, or a PDF (not ${declared || 'an unnamed type'}).`,
          )
        }
        const hash = String(request.headers['x-content-sha256'] ?? '').toLowerCase()
        if (!SHA256_HEX.test(hash)) {
          throw new HttpError(
            400,
            'invalid_request',
            'X-Content-SHA256 must be the hex SHA-256 of the body.',
          )
        }
        const body = request.body
        if (!Buffer.isBuffer(body) || body.length === 0) {
          throw new HttpError(400, 'invalid_request', 'The body must hold the file.')
        }
        const actual = createHash('sha256').update(body).digest('hex')
        if (actual !== hash) {
          throw new HttpError(
            400,
            'hash_mismatch',
            'The file arrived damaged (its SHA-256 does not match X-Content-SHA256); upload it again.',
          )
        }
        const sniffed = sniffType(body)
        if (!sniffed) {
          throw new HttpError(
            415,
            'unsupported_type',
            'The file is not a JPEG, PNG, WebP or HEIC photo, or a PDF (checked by its content).',
          )
        }
        if (declared !== 'application/octet-stream' && sniffed !== declared) {
          throw new HttpError(
            415,
            'unsupported_type',
            `The file was sent as ${declared} but its content is ${sniffed}.`,
          )
        }

        // The row is inserted first, in a transaction held while the bytes are written: a
        // concurrent upload of the same id waits on it, then sees it (duplicate or 409), and a
        // failed write rolls the row back. A crash between rename and commit leaves bytes with no
        // row, which the next upload of that id simply overwrites. A new upload counts against
        // the user's quota of unattached files (blobs/quota.ts); a resend does not.
        const now = ctx.now()
        const outcome = await db.transaction().execute(async (trx) => {
          await lockUploader(trx, ctx.db.dialect, user.id)
          const inserted = await trx
            .insertInto('attachment_files')
            .values({
              id,
              sha256: actual,
              size: body.length,
              mime_type: sniffed,
              uploaded_by: user.id,
              created_at: now.toISOString(),
            })
            .onConflict((oc) => oc.column('id').doNothing())
            .returning('id')
            .executeTakeFirst()
          if (inserted) {
            await checkUploadQuota(trx, user.id, now)
            await blobs.put(id, body)
            return 'stored' as const
          }
          const existing = await trx
            .selectFrom('attachment_files')
            .select(['sha256', 'uploaded_by'])
            .where('id', '=', id)
            .executeTakeFirstOrThrow()
          // Only the uploader's resend is a duplicate: anyone else learns nothing about the file.
          if (existing.uploaded_by !== user.id) return 'different' as const
          if (existing.sha256 !== actual) return 'different' as const
          // The row without its bytes (the purge's commit-failure case, a store restored from
          // an older backup): the resend brings them back, or the file would be 404 for good.
          if (!(await blobs.has(id))) await blobs.put(id, body)
          return 'duplicate' as const
        })
        if (outcome === 'different') {
          throw new HttpError(
            409,
            'conflict',
            'Another file was already uploaded under this attachment id.',
          )
        }
        if (outcome === 'duplicate') return { stored: true, duplicate: true }
        reply.code(201)
        return { stored: true, duplicate: false }
      },
    )
  })

  app.get<{ Params: { id: string } }>('/api/attachments/:id/file', async (request, reply) => {
    const user = sessionUser(request)
    const { id } = request.params
    if (!isId(id)) throw notFound()
    const row = await db
      .selectFrom('attachments')
      .innerJoin('jobs', 'jobs.id', 'attachments.job_id')
      .innerJoin('attachment_files', 'attachment_files.id', 'attachments.id')
      .select(['attachments.filename', 'attachment_files.mime_type', 'jobs.technician_id'])
      .where('attachments.id', '=', id)
      .executeTakeFirst()
    // Another technician's file is "not found": its existence is not theirs to know.
    if (!row || (user.role !== 'dispatcher' && row.technician_id !== user.id)) throw notFound()
    const blob = await blobs.get(id)
    if (!blob) throw notFound()
    return reply
      .header('Content-Type', row.mime_type)
      .header('Content-Length', String(blob.size))
      .header('Content-Disposition', contentDisposition(row.filename))
      .header('Cache-Control', 'private, no-store')
      .send(blob.stream)
  })
}

/** inline; an ASCII fallback name plus the exact UTF-8 one (RFC 6266 / 5987). */
function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `inline; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
