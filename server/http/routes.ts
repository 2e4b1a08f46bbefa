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
