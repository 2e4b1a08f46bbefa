import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers'

let server: TestServer
let dist: string

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'fieldline-dist-'))
  await mkdir(join(dist, 'assets'))
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Fieldline</title>')
  await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})')
  await writeFile(join(dist, 'manifest.webmanifest'), '{"name":"Fieldline"}')
  await writeFile(join(dist, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  await writeFile(join(dist, 'assets', 'index-3f2a1b.js'), 'console.log(1)')
  await writeFile(join(dist, 'robots.txt'), 'User-agent: *\nDisallow: /\n')
  // As scripts/precompress.mjs leaves them: a .br and a .gz beside the file.
  for (const file of ['index.html', 'assets/index-3f2a1b.js']) {
    const body = await readFile(join(dist, file))
    await writeFile(join(dist, `${file}.br`), brotliCompressSync(body))
    await writeFile(join(dist, `${file}.gz`), gzipSync(body))
  }
  server = await startTestServer({ staticDir: dist })
})
afterAll(async () => {
  await server.close()
  await rm(dist, { recursive: true, force: true })
})

const get = (url: string, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'GET', url, headers })

describe('static app', () => {
  it('serves hashed assets as immutable', async () => {
    const res = await get('/assets/index-3f2a1b.js')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(res.headers['content-type']).toMatch(/javascript/)
  })

  it('makes the browser revalidate sw.js, index.html and the manifest', async () => {
    for (const url of ['/sw.js', '/', '/manifest.webmanifest']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['cache-control'], url).toBe('no-cache')
    }
    const manifest = await get('/manifest.webmanifest')
    expect(manifest.headers['content-type']).toMatch(/^application\/manifest\+json/)
  })

  it('falls back to index.html for app routes, with security headers', async () => {
    const res = await get('/jobs/1042')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('<title>Fieldline</title>')
    expect(res.headers['cache-control']).toBe('no-cache')
    expect(res.headers['content-security-policy']).toContain("script-src 'self'")
  })

  it('does not fall back for the API or for other methods', async () => {
    const api = await get('/api/nothing')
    expect(api.statusCode).toBe(401)
    const post = await server.app.inject({ method: 'POST', url: '/jobs/1042', payload: {} })
    expect(post.statusCode).toBe(404)
    expect(post.json().error).toBe('not_found')
  })

  it('sends the precompressed copy the browser accepts: brotli first, then gzip, else as is', async () => {
    const br = await get('/assets/index-3f2a1b.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toMatch(/accept-encoding/i)
    expect(br.headers['content-type']).toMatch(/javascript/)
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)')

    const gz = await get('/assets/index-3f2a1b.js', { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString()).toBe('console.log(1)')

    const plain = await get('/assets/index-3f2a1b.js', { 'accept-encoding': 'identity' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe('console.log(1)')
    expect(plain.headers.vary).toMatch(/accept-encoding/i)
  })

  it('compresses the app page too, at / and as the fallback of an app route', async () => {
    for (const url of ['/', '/jobs/1042']) {
      const res = await get(url, { 'accept-encoding': 'br' })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-encoding'], url).toBe('br')
      expect(res.headers['content-type'], url).toMatch(/^text\/html/)
      expect(res.headers['cache-control'], url).toBe('no-cache')
      expect(brotliDecompressSync(res.rawPayload).toString(), url).toContain('<title>Fieldline')
    }
  })

  it('answers /robots.txt with the robots file, and a missing file with 404, not the app page', async () => {
    const robots = await get('/robots.txt')
    expect(robots.statusCode).toBe(200)
    expect(robots.headers['content-type']).toMatch(/^text\/plain/)
    expect(robots.body).toContain('User-agent: *')
    for (const url of ['/favicon.ico', '/assets/index-gone.js', '/icons/missing.png?v=2']) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(404)
      expect(res.body, url).not.toContain('<title>Fieldline')
    }
  })
})
