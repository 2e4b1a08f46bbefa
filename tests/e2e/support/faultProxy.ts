import {
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A fault-injecting HTTP proxy between the app and the real server, started by the tests only
 * (never part of a production start). The browser loads the app through it, so every request of
 * the page AND of the service worker passes here, and it can break the ones that matter:
 *
 * - `error500`: answers 500 without forwarding (the server never sees the request);
 * - `drop`: reads the whole request, then destroys the connection without forwarding;
 * - `hang`: reads the request, forwards nothing, answers nothing; the connection is destroyed
 *   after `hangMs` (or earlier, when the client gives up on its own time limit);
 * - `lost-answer`: forwards, waits for the server's full answer (the batch is committed), then
 *   destroys the connection: the device never learns that it was applied;
 * - `error-after-commit`: forwards, waits for the committed answer, then tells the device 502.
 *
 * Faults are drawn with a seeded generator, so a run can be replayed with the same seed.
 * `plan` forces the next faults in order (deterministic tests); `onForwarded` lets a test act
 * after the server answered and before the device hears it (e.g. kill the browser).
 */
export const FAULTS = ['error500', 'drop', 'hang', 'lost-answer', 'error-after-commit'] as const
export type Fault = (typeof FAULTS)[number]

export interface ProxiedRequest {
  method: string
  path: string
  body: Buffer
}

export interface FaultProxyOptions {
  /** The real server, e.g. http://127.0.0.1:41234 */
  target: string
  /** Which requests may be faulted; default: POST /api/sync/push. */
  match?: (req: ProxiedRequest) => boolean
  /** Probability that a matching request is faulted (0 = a plain counting proxy). */
  faultRate?: number
  faults?: readonly Fault[]
  seed?: number
  hangMs?: number
}

export interface FaultStats {
  /** Matching requests seen (each attempt counts). */
  matched: number
  /** Matching requests the server received. */
  forwarded: number
  faults: Record<Fault, number>
}

export class FaultProxy {
  url = ''
  faultRate: number
  readonly stats: FaultStats = {
    matched: 0,
    forwarded: 0,
    faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>,
  }
  /** Bodies of matching requests the server received, in arrival order. */
  readonly forwardedBodies: string[] = []
  /** Faults to inject on the next matching requests, first one first ('none' = pass). */
  plan: Array<Fault | 'none'> = []
  /** Called once a matching request was handed to the server in full (before its answer). */
  onRequestSent: ((req: ProxiedRequest) => void) | undefined
  /** Awaited after the server answered a matching request, before the device gets the answer. */
  onForwarded: ((req: ProxiedRequest, status: number, body: Buffer) => Promise<void>) | undefined

  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private readonly random: () => number
  private readonly match: (req: ProxiedRequest) => boolean
  private readonly faults: readonly Fault[]
  private readonly hangMs: number

  constructor(private readonly opts: FaultProxyOptions) {
    this.faultRate = opts.faultRate ?? 0
    this.random = mulberry32(opts.seed ?? 1)
    this.match = opts.match ?? ((r) => r.method === 'POST' && r.path.startsWith('/api/sync/push'))
    this.faults = opts.faults ?? FAULTS
    this.hangMs = opts.hangMs ?? 3_000
    this.server = createServer((req, res) => void this.handle(req, res))
    this.server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise((r) => this.server.close(r))
  }

  get totalFaults(): number {
    return Object.values(this.stats.faults).reduce((a, b) => a + b, 0)
  }

  private pick(): Fault | 'none' {
    const planned = this.plan.shift()
    if (planned) return planned
    if (this.random() >= this.faultRate) return 'none'
    return this.faults[Math.floor(this.random() * this.faults.length)] ?? 'error500'
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const incoming: ProxiedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      body: Buffer.concat(chunks),
    }
    const matched = this.match(incoming)
    const fault = matched ? this.pick() : 'none'
    if (matched) {
      this.stats.matched++
      if (fault !== 'none') this.stats.faults[fault]++
    }
    if (fault === 'error500') {
      res.writeHead(500, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({ error: 'injected', message: 'Injected fault: 500 before the server.' }),
      )
      return
    }
    if (fault === 'drop') {
      req.socket.destroy()
      return
    }
    if (fault === 'hang') {
      const timer = setTimeout(() => req.socket.destroy(), this.hangMs)
      req.socket.once('close', () => clearTimeout(timer))
      return
    }
    let upstream: { status: number; headers: IncomingMessage['headers']; body: Buffer }
    try {
      upstream = await this.forward(req, incoming)
    } catch {
      // The server is down (a test stopped it): the device sees a dropped connection.
      req.socket.destroy()
      return
    }
    if (matched) {
      this.stats.forwarded++
      this.forwardedBodies.push(incoming.body.toString())
      await this.onForwarded?.(incoming, upstream.status, upstream.body)
    }
    if (fault === 'lost-answer') {
      req.socket.destroy()
      return
    }
    if (fault === 'error-after-commit') {
      res.writeHead(502, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: 'injected', message: 'Injected fault: 502 after commit.' }))
      return
    }
    if (res.destroyed) return
    const headers = { ...upstream.headers }
    delete headers['transfer-encoding']
    headers['content-length'] = String(upstream.body.length)
    res.writeHead(upstream.status, headers)
    res.end(upstream.body)
  }

  private forward(
    req: IncomingMessage,
    incoming: ProxiedRequest,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> {
    const target = new URL(this.opts.target)
    return new Promise((resolve, reject) => {
      const out = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.path,
          // The browser's own Host is kept, as a transparent proxy would: the server's Origin
          // check compares it with the page's Origin (the proxy's address).
          headers: { ...req.headers, connection: 'close' },
        },
        (up) => {
          const chunks: Buffer[] = []
          up.on('data', (c: Buffer) => chunks.push(c))
          up.on('end', () =>
            resolve({
              status: up.statusCode ?? 502,
              headers: up.headers,
              body: Buffer.concat(chunks),
            }),
          )
          up.on('error', reject)
        },
      )
      out.on('error', reject)
      out.end(incoming.body, () => {
        if (this.match(incoming)) this.onRequestSent?.(incoming)
      })
    })
  }
}

/** A small seeded PRNG, so a soak run's faults can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
