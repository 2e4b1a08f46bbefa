/** Longest side a stored photo may have: plenty for a job record, a fraction of a raw photo. */
export const MAX_PHOTO_SIDE = 2048
const THUMB_SIDE = 160

export interface PreparedPhoto {
  blob: Blob
  mimeType: string
  thumbnail: string | null
}

/**
 * Shrinks a camera photo on the device before it is stored, so a queue of photos does not fill
 * the phone: at most 2048 px on the longest side, re-encoded as JPEG (quality 0.85), plus a
 * 160 px thumbnail. A format the browser cannot decode (HEIC outside Safari) is kept as it is,
 * without a thumbnail.
 */
export async function preparePhoto(file: Blob): Promise<PreparedPhoto> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  } catch {
    return { blob: file, mimeType: file.type || 'image/heic', thumbnail: null }
  }
  try {
    const blob = await encode(bitmap, MAX_PHOTO_SIDE, 0.85)
    const thumb = await encode(bitmap, THUMB_SIDE, 0.7)
    return { blob, mimeType: 'image/jpeg', thumbnail: await toDataUrl(thumb) }
  } finally {
    bitmap.close()
  }
}

async function encode(bitmap: ImageBitmap, maxSide: number, quality: number): Promise<Blob> {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.max(1, Math.round(bitmap.width * scale))
  canvas.height = Math.max(1, Math.round(bitmap.height * scale))
  const ctx = canvas.getContext('2d')
  if (!ctx) throw new Error('no 2d canvas')
  ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('encode failed'))),
      'image/jpeg',
      quality,
    ),
  )
}

function toDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(blob)
  })
}

/** Hex SHA-256 of a file: with the attachment id, the key that makes its upload idempotent. */
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
