import type { FastifyInstance } from 'fastify'

export interface RouteInfo {
  method: string
  url: string
  /** Answers without a session (config.public). */
  public: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order; the security tests walk it so no route goes untested. */
    routeList: RouteInfo[]
  }
}

/** Records every route as it is added (child plugins included). Register before any route. */
export function registerRouteList(app: FastifyInstance): void {
  const list: RouteInfo[] = []
  app.decorate('routeList', list)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      list.push({ method, url: route.url, public: Boolean(route.config?.public) })
    }
  })
}

/**
 * The methods the API takes at a path (e.g. `/api/dispatch/jobs/abc` → GET, HEAD, PATCH), from
 * the route list, so a known path asked with another method answers 405 and names them instead
 * of a 404 that says the route does not exist. Only /api paths: page and asset URLs keep their
 * 404. A `:param` matches one path segment, as in the router; the query is not part of the path.
 */
export function methodsAt(list: readonly RouteInfo[], url: string): string[] {
  return [...new Set(routesAt(list, url).map((r) => r.method))].sort()
}

/**
 * Whether every route at this path answers without a session (the sign-in, health): a wrong
 * method there is told 405 like anyone, not "Sign in to continue", which a client that cannot
 * sign in (it is asking the sign-in) cannot act on.
 */
export function isPublicPath(list: readonly RouteInfo[], url: string): boolean {
  const routes = routesAt(list, url)
  return routes.length > 0 && routes.every((r) => r.public)
}

function routesAt(list: readonly RouteInfo[], url: string): RouteInfo[] {
  const path = url.split('?', 1)[0] ?? ''
  if (!path.startsWith('/api/')) return []
  return list.filter((r) => r.url.startsWith('/api/') && routePattern(r.url).test(path))
}

const patterns = new Map<string, RegExp>()
function routePattern(url: string): RegExp {
  let pattern = patterns.get(url)
  if (!pattern) {
    const source = url
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')
    pattern = new RegExp(`^${source}$`)
    patterns.set(url, pattern)
  }
  return pattern
}
