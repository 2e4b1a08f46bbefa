import { deflateSync } from 'node:zlib'

/**
 * A tiny PNG encoder for the demo seed: 8-bit RGB, no interlace, filter 0 on every row, the
 * image data deflated by zlib. Node 20 has no zlib.crc32, so the chunk CRCs use our own table.
 */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0
  for (let i = 0; i < bytes.length; i++) {
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8)
  }
  return ~c >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

export type Rgb = readonly [number, number, number]

/** Encodes width×height pixels; `pixel(u, v)` gets coordinates in [0, 1) and returns RGB. */
export function encodePng(width: number, height: number, pixel: (u: number, v: number) => Rgb) {
  const stride = width * 3 + 1
  const raw = Buffer.alloc(stride * height)
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 0
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x / width, y / height)
      const at = y * stride + 1 + x * 3
      raw[at] = clamp(r)
      raw[at + 1] = clamp(g)
      raw[at + 2] = clamp(b)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ])
}

const clamp = (x: number) => Math.max(0, Math.min(255, Math.round(x)))
