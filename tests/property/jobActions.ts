import fc from 'fast-check'
import { ATTACHMENT_KINDS, JOB_STATUSES, SIGNATURE_SUBJECTS } from '../../protocol/entities'
import { MAX_FILE_BYTES } from '../../protocol/mutations'
import type { Pools } from './catalog'
import { dataUrl, fileArb, sha256Hex } from './files'
import { createdId, jobIdArb, nearId, ownedId } from './ids'
import { nearInteger } from './numbers'
import { type Flavours, nearFields, type Step, someOf } from './step'
import { NASTY_PIECES, nearText, validDescription, validText } from './texts'
import { nearIso, validIso } from './times'

/** Arbitraries of the actions on a job itself: notes, files, labels, signatures, its details. */

export function noteAdd(pools: Pools): Flavours {
  const valid = fc.record({
    id: createdId(),
    jobId: jobIdArb(pools),
    body: validText(10_000),
    createdAt: validIso,
  })
  return {
    valid: valid.map((args) => ({ name: 'note.add', args })),
    nearValid: nearFields(valid, {
      id: nearId([]),
      jobId: nearId(pools.jobs.mine),
      body: nearText(10_000),
      createdAt: nearIso,
    }).map((args) => ({ name: 'note.add', args })),
  }
}

export function attachmentAdd(pools: Pools): Flavours {
  const valid = fc
    .record({
      file: fileArb,
      id: createdId(),
      jobId: jobIdArb(pools),
      filename: validText(255),
      takenAt: validIso,
      thumbnail: fc.option(fc.uint8Array({ maxLength: 48 }), { freq: 3 }),
    })
    .map(({ file, thumbnail, ...rest }) => ({
      upload: { bytes: file.bytes, contentType: file.mimeType },
      args: {
        id: rest.id,
        jobId: rest.jobId,
        kind: file.mimeType === 'application/pdf' ? 'pdf' : 'photo',
        filename: rest.filename,
        mimeType: file.mimeType,
        size: file.bytes.length,
        sha256: file.sha256,
        takenAt: rest.takenAt,
        thumbnail: thumbnail ? dataUrl('image/jpeg', thumbnail) : null,
      },
    }))
  return {
    valid: valid.map((s) => ({ name: 'attachment.add', ...s })),
    nearValid: valid.chain(({ upload, args }) =>
      fc
        .record({
          args: nearFields(fc.constant(args), {
            id: nearId([]),
            jobId: nearId(pools.jobs.mine),
            kind: fc.constantFrom(...ATTACHMENT_KINDS, 'video', 'PHOTO'),
            filename: nearText(255),
            mimeType: fc.constantFrom('image/gif', 'IMAGE/PNG', 'image/png', 'application/pdf'),
            size: nearInteger(1, MAX_FILE_BYTES),
            sha256: fc.constantFrom(
              args.sha256.toUpperCase(),
              args.sha256.slice(1),
              sha256Hex(new Uint8Array([1])),
            ),
            takenAt: nearIso,
            thumbnail: fc.constantFrom(
              'data:image/',
              `data:image/${'x'.repeat(100_000 - 11)}`,
              `data:image/${'x'.repeat(100_000 - 10)}`,
              'DATA:image/png;base64,',
              `data:image/png;base64,${NASTY_PIECES.join('')}`,
              '',
            ),
          }),
          // Sometimes the file never arrived, or arrived as octet-stream.
          upload: fc.oneof(
            { weight: 4, arbitrary: fc.constant<Step['upload']>(upload) },
            { weight: 1, arbitrary: fc.constant<Step['upload']>(undefined) },
            {
              weight: 1,
              arbitrary: fc.constant<Step['upload']>({
                ...upload,
                contentType: 'application/octet-stream',
              }),
            },
          ),
        })
        .map(({ args, upload }) => ({ name: 'attachment.add', args, ...(upload && { upload }) })),
    ),
  }
}

export function labelCreate(pools: Pools): Flavours {
  const color = fc
    .tuple(fc.stringMatching(/^[0-9a-f]{6}$/), fc.boolean())
    .map(([hex, upper]) => `#${upper ? hex.toUpperCase() : hex}`)
  const valid = fc.record({ id: createdId(pools.labels), name: validText(40), color })
  return {
    valid: valid.map((args) => ({ name: 'label.create', args })),
    nearValid: nearFields(valid, {
      id: nearId([]),
      name: nearText(40),
      color: fc.constantFrom('#abc', '#GGGGGG', 'red', '#1a2b3c\n', ' #1a2b3c', '#1a2b3c4d', ''),
    }).map((args) => ({ name: 'label.create', args })),
  }
}

export function jobLabel(pools: Pools, name: 'job.addLabel' | 'job.removeLabel'): Flavours {
  const valid = fc.record({
    jobId: jobIdArb(pools),
    labelId: ownedId({ mine: pools.labels, others: [] }),
  })
  return {
    valid: valid.map((args) => ({ name, args })),
    nearValid: nearFields(valid, {
      jobId: nearId(pools.jobs.mine),
      labelId: nearId(pools.labels),
    }).map((args) => ({ name, args })),
  }
}

export function signatureAdd(pools: Pools): Flavours {
  const image = fc.oneof(
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => dataUrl('image/png', b)) },
    {
      weight: 1,
      arbitrary: fc.constant(`data:image/png;base64,${'A'.repeat(500_000 - 22)}`),
    },
  )
  // Mostly what the job has to sign (itself, its estimates, its invoices); now and then another.
  const subjectOf = (jobId: string) => {
    const has = {
      job: [jobId],
      estimate: pools.estimatesOf.get(jobId) ?? [],
      invoice: pools.invoicesOf.get(jobId) ?? [],
    }
    const available = SIGNATURE_SUBJECTS.filter((t) => has[t].length > 0)
    return fc
      .oneof(
        { weight: 9, arbitrary: fc.constantFrom(...available) },
        { weight: 1, arbitrary: fc.constantFrom(...SIGNATURE_SUBJECTS) },
      )
      .chain((subjectType) =>
        fc.record({
          subjectType: fc.constant(subjectType),
          subjectId: ownedId({ mine: has[subjectType], others: [] }),
        }),
      )
  }
  const valid = jobIdArb(pools).chain((jobId) =>
    fc
      .record({
        id: createdId(),
        subject: subjectOf(jobId),
        signerName: validText(120),
        signedAt: validIso,
        image,
      })
      .map(({ id, subject, ...rest }) => ({ id, jobId, ...subject, ...rest })),
  )
  return {
    valid: valid.map((args) => ({ name: 'signature.add', args })),
    nearValid: nearFields(valid, {
      id: nearId([]),
      jobId: nearId(pools.jobs.mine),
      subjectType: fc.constantFrom('Job', 'payment', ''),
      subjectId: nearId(pools.estimates.mine),
      signerName: nearText(120),
      signedAt: nearIso,
      image: fc.constantFrom(
        'data:image/png;base64,',
        `data:image/png;base64,${'A'.repeat(500_000 - 21)}`,
        `data:image/png;base64,\u0000`,
        `data:image/png;base64,${NASTY_PIECES.join('')}`,
        'data:image/jpeg;base64,AAAA',
      ),
    }).map((args) => ({ name: 'signature.add', args })),
  }
}

const jobChanges = {
  title: validText(200),
  description: validDescription(5_000),
  status: fc.constantFrom(...JOB_STATUSES),
}

export function jobUpdate(pools: Pools): Flavours {
  const valid = fc
    .record({ jobId: jobIdArb(pools), baseVersion: fc.nat(20), changes: someOf(jobChanges) })
    // `base` names the same fields; the harness sets their values from the job (fill).
    .map((args) => ({ ...args, base: { ...args.changes } }))
  const nearChanges = fc.record(
    {
      title: nearText(200),
      description: fc.oneof(nearText(5_000), fc.constant(`${'d'.repeat(5_001)}`)),
      status: fc.constantFrom('Scheduled', 'done', '', null),
      address: fc.constant('1 Main St'),
    },
    { requiredKeys: [] },
  )
  return {
    valid: valid.map((args) => ({ name: 'job.update', args, fill: {} })),
    nearValid: fc
      .record({
        args: nearFields(valid, {
          jobId: nearId(pools.jobs.mine),
          baseVersion: nearInteger(0, Number.MAX_SAFE_INTEGER),
          changes: nearChanges,
          base: fc.oneof(fc.constant({}), nearChanges),
        }),
        fill: fc.boolean(),
      })
      .map(({ args, fill }) => ({ name: 'job.update', args, ...(fill && { fill: {} }) })),
  }
}
