import { loadWritableJob } from './jobAccess'
import type { ApplyFn } from './types'
import { reject } from './types'

/**
 * attachment.add: the record of a photo or PDF whose bytes were uploaded before (PUT
 * /api/attachments/:id/file). The file must be stored under the same id with the same sha256,
 * uploaded by this user; otherwise the action is refused with `file_missing` and the device
 * uploads the file again before retrying.
 *
 * An attachment already under this id is this action again only if it holds what this action
 * sets (job, file, kind, name, type, time taken, thumbnail; not the size, for which the stored
 * file is the truth); anything else is refused `conflict`, as every create is. Nothing edits an
 * attachment afterwards, so the whole record can be compared.
 */
export const applyAttachmentAdd: ApplyFn<'attachment.add'> = async (ctx, args) => {
  const access = await loadWritableJob(ctx, args.jobId)
  if ('rejection' in access) return access.rejection

  const existing = await ctx.trx
    .selectFrom('attachments')
    .select(['job_id', 'sha256', 'kind', 'filename', 'mime_type', 'taken_at', 'thumbnail'])
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (existing) {
    const same =
      existing.job_id === args.jobId &&
      existing.sha256 === args.sha256 &&
      existing.kind === args.kind &&
      existing.filename === args.filename &&
      existing.mime_type === args.mimeType &&
      existing.taken_at === args.takenAt &&
      existing.thumbnail === (args.kind === 'photo' ? args.thumbnail : null)
    if (same) return { ok: true }
    return reject(
      'conflict',
      'Another attachment already uses this id (another file, name or job), so this one was not saved.',
    )
  }

  if ((args.kind === 'pdf') !== (args.mimeType === 'application/pdf')) {
    return reject('invalid', `A ${args.kind} cannot have the type ${args.mimeType}.`)
  }
  const file = await ctx.trx
    .selectFrom('attachment_files')
    .select(['sha256', 'size', 'mime_type', 'uploaded_by'])
    .where('id', '=', args.id)
    .executeTakeFirst()
  if (!file || file.sha256 !== args.sha256 || file.uploaded_by !== ctx.user.id) {
    return reject('file_missing', 'The file has not finished uploading.')
  }
  if (file.mime_type !== args.mimeType) {
    return reject('invalid', `The uploaded file is ${file.mime_type}, not ${args.mimeType}.`)
  }

  await ctx.trx
    .insertInto('attachments')
    .values({
      id: args.id,
      job_id: args.jobId,
      kind: args.kind,
      filename: args.filename,
      mime_type: args.mimeType,
      // The stored file is the truth about its size.
      size: Number(file.size),
      sha256: args.sha256,
      taken_at: args.takenAt,
      thumbnail: args.kind === 'photo' ? args.thumbnail : null,
      created_at: ctx.now.toISOString(),
      uploaded_by: ctx.user.id,
      rev: ctx.rev,
    })
    .execute()
  return { ok: true }
}
