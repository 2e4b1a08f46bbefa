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
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    // The ftyp box: size, 'ftyp', major brand, minor version, compatible brands.
    const boxSize = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)
    const end = Math.min(b.length, boxSize > 0 ? boxSize : 12, 256)
    if (HEIF_BRANDS.has(ascii(b, 8, 12))) return 'image/heic'
    for (let at = 16; at + 4 <= end; at += 4) {
      if (HEIF_BRANDS.has(ascii(b, at, at + 4))) return 'image/heic'
    }
  }
  if (pdfHeaderAt(b) >= 0) return 'application/pdf'
  return null
}

/**
 * Where `%PDF-` starts within the first 1024 bytes, or -1. A PDF should start with it, but
 * readers (pdf.js, and Acrobat by its implementation notes) look for it anywhere in the first 1024 bytes, and files with
 * a few bytes before it (a byte-order mark, a blank line, a mail gateway's leftovers) open
 * everywhere. The device takes any file that says it is a PDF, so a stricter check here refused
 * such a file forever: its attachment.add sat Failed with "not … a PDF" for a PDF that opens.
 * Checked last, so a file that starts as a photo stays a photo.
 */
export function pdfHeaderAt(b: Uint8Array): number {
  const end = Math.min(b.length, PDF_HEADER_WINDOW) - PDF_MAGIC.length
  for (let at = 0; at <= end; at++) {
    if (PDF_MAGIC.every((x, i) => b[at + i] === x)) return at
  }
  return -1
}
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d] // %PDF-
const PDF_HEADER_WINDOW = 1024
