import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  server = await startTestServer({ staticDir: dist })
})
afterAll(async () => {
  await server.close()
  await rm(dist, { recursive: true, force: true })
})

const get = (url: string) => server.app.inject({ method: 'GET', url })

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
})
