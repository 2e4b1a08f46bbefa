import { existsSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/** Hashed build output never changes under its name; everything else must be revalidated. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
/**
 * sw.js, index.html and the manifest name the current build: the browser must revalidate them
 * on every load or an old service worker keeps serving an old app. Unhashed files (icons) get
 * the same treatment; they are small.
 */
const REVALIDATE = 'no-cache'

/** The last path segment has an extension ("/assets/x.js", "/robots.txt"); app routes do not. */
function looksLikeFile(url: string): boolean {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  return /\.[a-z0-9]+$/i.test(path.slice(path.lastIndexOf('/') + 1))
}

export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => boolean

/**
 * Serves the built app from `dir` when it exists and returns the SPA fallback (any GET that is
 * not /api and not a file gets index.html); returns null when there is no build to serve.
 */
export async function registerStatic(
  app: FastifyInstance,
  dir: string,
): Promise<SpaFallback | null> {
  const root = resolve(dir)
  if (!existsSync(resolve(root, 'index.html'))) return null
  const assets = `${sep}assets${sep}`

  await app.register(fastifyStatic, {
    root,
    cacheControl: false,
    // The build writes .br and .gz beside each text file (scripts/precompress.mjs); a browser
    // that accepts one gets it (with Vary: Accept-Encoding), others the file itself.
    preCompressed: true,
    setHeaders: (reply, path) => {
      const relative = path.slice(root.length)
      reply.header('Cache-Control', relative.startsWith(assets) ? IMMUTABLE : REVALIDATE)
      if (path.endsWith('.webmanifest')) {
        reply.header('Content-Type', 'application/manifest+json; charset=utf-8')
      }
    },
  })

  return (request, reply) => {
    const isRead = request.method === 'GET' || request.method === 'HEAD'
    if (!isRead || request.url === '/api' || request.url.startsWith('/api/')) return false
    // A missing file (/favicon.ico, an old build's chunk) is a 404, not the app's page: a script
    // or robots.txt answered with HTML only misleads whoever asked.
    if (looksLikeFile(request.url)) return false
    reply.header('Cache-Control', REVALIDATE).sendFile('index.html')
    return true
  }
}
