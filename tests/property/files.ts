import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { ATTACHMENT_TYPES } from '../../protocol/mutations'

/**
 * Files for attachment.add: the server checks an upload by its first bytes (server/blobs/sniff.ts),
 * so each type starts with its magic number; the rest is random.
 */
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))
const MAGIC: Record<(typeof ATTACHMENT_TYPES)[number], number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'image/webp': [...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBP')],
  'image/heic': [0, 0, 0, 0x18, ...ascii('ftypheic')],
  'application/pdf': ascii('%PDF-1.7\n'),
}

export interface GeneratedFile {
  mimeType: (typeof ATTACHMENT_TYPES)[number]
  bytes: Uint8Array
  sha256: string
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export const fileArb: fc.Arbitrary<GeneratedFile> = fc
  .tuple(fc.constantFrom(...ATTACHMENT_TYPES), fc.uint8Array({ maxLength: 64 }))
  .map(([mimeType, tail]) => {
    const bytes = Uint8Array.from([...MAGIC[mimeType], ...tail])
    return { mimeType, bytes, sha256: sha256Hex(bytes) }
  })

/** A small data: URL as a device makes for thumbnails and signatures. */
export const dataUrl = (type: string, bytes: Uint8Array) =>
  `data:${type};base64,${Buffer.from(bytes).toString('base64')}`
