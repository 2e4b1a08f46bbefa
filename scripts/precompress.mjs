// Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the built app, once, at
// build time, at the strongest settings (too slow to do per request). The server sends them to
// browsers that accept them (@fastify/static `preCompressed`), and the file itself to others.
// Usage: node scripts/precompress.mjs [dir=dist]
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

const dir = process.argv[2] ?? 'dist'
/** Text the browser fetches; images are compressed already, source maps are not worth it. */
const TEXT = /\.(?:js|mjs|css|html|svg|webmanifest|json|txt)$/

/** @param {string} folder @returns {string[]} */
function files(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

let before = 0
let br = 0
let gz = 0
for (const path of files(dir).filter((p) => TEXT.test(p))) {
  const body = readFileSync(path)
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  })
  const gzip = gzipSync(body, { level: 9 })
  // A tiny file can grow when compressed: then the file itself is what is sent.
  if (brotli.length < body.length) writeFileSync(`${path}.br`, brotli)
  if (gzip.length < body.length) writeFileSync(`${path}.gz`, gzip)
  before += body.length
  br += Math.min(brotli.length, body.length)
  gz += Math.min(gzip.length, body.length)
  if (body.length > 20_000) {
    console.log(
      `  ${relative(dir, path).padEnd(44)} ${kb(body.length)} → br ${kb(brotli.length)}, gzip ${kb(gzip.length)}`,
    )
  }
}
console.log(`precompressed ${dir}: ${kb(before)} → br ${kb(br)}, gzip ${kb(gz)}`)

/** @param {number} n */
function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`
}
