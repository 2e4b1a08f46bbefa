/**
 * A minimal valid one-page PDF (US Letter, Helvetica) built by hand: catalog, pages, page,
 * font, one content stream, and an xref table with each object's exact byte offset.
 */
export function makePdf(lines: Array<{ text: string; size: number }>): Buffer {
  let y = 720
  const ops = ['BT']
  for (const line of lines) {
    ops.push(`/F1 ${line.size} Tf`, `1 0 0 1 72 ${y} Tm`, `(${pdfText(line.text)}) Tj`)
    y -= line.size + 10
  }
  ops.push('ET', '0.2 0.4 0.8 RG 2 w 72 700 m 540 700 l S')
  const content = ops.join('\n')

  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ]
  let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'
  const offsets: number[] = []
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'))
    body += `${i + 1} 0 obj\n${object}\nendobj\n`
  })
  const xrefAt = Buffer.byteLength(body, 'latin1')
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`
  return Buffer.from(body, 'latin1')
}

/** PDF string escapes; characters outside Latin-1 become '?'. */
function pdfText(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`).replace(/[^\x20-\xff]/g, '?')
}
