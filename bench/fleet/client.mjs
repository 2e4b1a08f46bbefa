// @ts-check
import http from 'node:http'

/**
 * A device's HTTP connection to the fleet: keep-alive, its own loopback source address (so the
 * server sees one address per device, as it would in the field, and the per-address sign-in
 * limit counts each device apart), the session cookie, and a load balancer's choice of
 * instance for each request (any instance in `cluster.bases`, at random).
 *
 * @typedef {{ status: number, body: any, bytes: number, ms: number, headers: http.IncomingHttpHeaders }} Answer
 * @typedef {{ bases: string[] }} Cluster
 */
export class Client {
  /** @param {Cluster} cluster @param {number} index */
  constructor(cluster, index) {
    this.cluster = cluster
    /** 127.0.x.y: the whole 127/8 block is loopback on Linux. */
    this.localAddress = `127.${2 + ((index >> 16) & 0xff)}.${(index >> 8) & 0xff}.${index & 0xff}`
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 2 })
    /** @type {string | null} */
    this.cookie = null
  }

  /**
   * One request to one instance. Never throws for an HTTP status; throws for a network failure
   * (connection refused or reset, timeout), which the caller may retry.
   * @param {'GET' | 'POST' | 'PUT' | 'PATCH'} method @param {string} path
   * @param {{ json?: unknown, bytes?: Buffer, headers?: Record<string, string>, base?: string, timeoutMs?: number }} [o]
   * @returns {Promise<Answer>}
   */
  request(method, path, o = {}) {
    const bases = this.cluster.bases
    const base = o.base ?? bases[Math.floor(Math.random() * bases.length)]
    if (!base) return Promise.reject(new Error('no instance is up'))
    const url = new URL(path, base)
    const body = o.json !== undefined ? Buffer.from(JSON.stringify(o.json)) : o.bytes
    /** @type {Record<string, string | number>} */
    const headers = { ...(o.headers ?? {}) }
    if (o.json !== undefined) headers['content-type'] = 'application/json'
    if (body) headers['content-length'] = body.length
    if (this.cookie) headers.cookie = this.cookie
    const started = performance.now()
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method,
          headers,
          agent: this.agent,
          localAddress: this.localAddress,
          timeout: o.timeoutMs ?? 60_000,
        },
        (res) => {
          /** @type {Buffer[]} */
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const raw = Buffer.concat(chunks)
            const setCookie = res.headers['set-cookie']?.find((c) => c.startsWith('fl_session='))
            if (setCookie) this.cookie = setCookie.split(';')[0] ?? null
            let parsed = null
            try {
              parsed = raw.length > 0 ? JSON.parse(raw.toString('utf8')) : null
            } catch {
              parsed = { error: 'not_json', message: raw.toString('utf8').slice(0, 200) }
            }
            resolve({
              status: res.statusCode ?? 0,
              body: parsed,
              bytes: raw.length,
              ms: performance.now() - started,
              headers: res.headers,
            })
          })
        },
      )
      req.on('timeout', () => req.destroy(new Error('timeout')))
      req.on('error', reject)
      req.end(body)
    })
  }

  close() {
    this.agent.destroy()
  }
}
