// @ts-check
import { crc32, deflateSync } from 'node:zlib'

/**
 * A PNG of w×h RGB pixels, stored (deflate level 0) so its size is about w·h·3 bytes whatever
 * the pixels: thumbnails and signatures of a realistic weight for the generated company.
 * @param {number} w @param {number} h @param {number} seed
 */
export function pngDataUrl(w, h, seed) {
  const raw = Buffer.alloc((w * 3 + 1) * h)
  let x = seed >>> 0 || 1
  for (let i = 0; i < raw.length; i++) {
    if (i % (w * 3 + 1) === 0) continue // filter byte: none
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    raw[i] = x & 0xff
  }
  /** @param {string} type @param {Buffer} data */
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(w, 0)
  header.writeUInt32BE(h, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
  return `data:image/png;base64,${png.toString('base64')}`
}

/**
 * Bytes that pass the server's JPEG check (FF D8 FF …), of about `size` bytes, different for
 * every seed: what a simulated device uploads as a photo.
 * @param {number} size @param {number} seed
 */
export function fakeJpeg(size, seed) {
  const bytes = Buffer.alloc(size)
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0)
  let x = seed >>> 0 || 7
  for (let i = 4; i < size - 2; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 0xff
  }
  bytes.set([0xff, 0xd9], size - 2)
  return bytes
}
