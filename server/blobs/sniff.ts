/**
 * What a file really is, from its first bytes (magic numbers), so a renamed .exe or a text file
 * declared image/jpeg is refused whatever the Content-Type says.
 */
export type SniffedType =
  | 'image/jpeg'
  | 'image/png'
  | 'image/webp'
  | 'image/heic'
  | 'application/pdf'

/** ISO-BMFF brands of HEIF/HEIC images (iPhone photos are 'heic'; 'mif1' is generic HEIF). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'])

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end))

export function sniffType(bytes: Uint8Array): SniffedType | null {
  const b = bytes
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
  if (b.length >= 8 && png.every((x, i) => b[i] === x)) return 'image/png'
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'image/webp'
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return 'application/pdf'
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    // The ftyp box: size, 'ftyp', major brand, minor version, compatible brands.
    const boxSize = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)
    const end = Math.min(b.length, boxSize > 0 ? boxSize : 12, 256)
    if (HEIF_BRANDS.has(ascii(b, 8, 12))) return 'image/heic'
    for (let at = 16; at + 4 <= end; at += 4) {
      if (HEIF_BRANDS.has(ascii(b, at, at + 4))) return 'image/heic'
    }
  }
  return null
}
