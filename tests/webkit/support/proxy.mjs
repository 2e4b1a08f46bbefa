// @ts-check
import net from 'node:net'

/**
 * A TCP proxy between the browser and the server that the test can cut and restore. WebDriver
 * has no offline switch, and this is closer to the field anyway: the phone believes it is
 * connected (`navigator.onLine` stays true) but nothing gets through.
 *
 * - `cut('refuse')`: every open connection is reset and new ones are reset at once
 *   (fetch fails fast with "Load failed").
 * - `cut('hang')`: open connections go silent and new ones are accepted and never answered
 *   (a dead hotspot: only the app's own time limits end the requests).
 * - `restore()`: hung connections are reset, new ones go through again.
 */
export class CuttableProxy {
  url = ''
  /** @type {'open' | 'refuse' | 'hang'} */
  mode = 'open'
  /** @type {Map<net.Socket, net.Socket | undefined>} browser-side socket → server-side socket */
  clients = new Map()
  /** Connections refused, and connections passed to the server, so far. */
  refused = 0
  forwarded = 0
  server = net.createServer((client) => this.accept(client))

  /** @param {string} target the server's base URL */
  constructor(target) {
    const u = new URL(target)
    this.target = { host: u.hostname, port: Number(u.port) }
  }

  async start() {
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve(undefined)))
    const address = /** @type {net.AddressInfo} */ (this.server.address())
    this.url = `http://127.0.0.1:${address.port}`
  }

  /** @param {net.Socket} client */
  accept(client) {
    client.on('error', () => {})
    if (this.mode === 'refuse') {
      this.refused++
      client.resetAndDestroy()
      return
    }
    this.clients.set(client, undefined)
    client.on('close', () => {
      this.clients.get(client)?.destroy()
      this.clients.delete(client)
    })
    if (this.mode === 'hang') {
      client.resume() // read and drop whatever the browser sends; never answer
      return
    }
    this.forwarded++
    const upstream = net.connect(this.target)
    upstream.on('error', () => client.destroy())
    upstream.on('end', () => client.end())
    this.clients.set(client, upstream)
    client.pipe(upstream)
    upstream.pipe(client, { end: false })
  }

  /** @param {'refuse' | 'hang'} mode */
  cut(mode = 'refuse') {
    this.mode = mode
    for (const [client, upstream] of this.clients) {
      if (mode === 'refuse') {
        client.resetAndDestroy()
        continue
      }
      if (upstream) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        upstream.removeAllListeners('end')
        upstream.destroy()
        this.clients.set(client, undefined)
        client.resume()
      }
    }
  }

  restore() {
    this.mode = 'open'
    for (const [client, upstream] of this.clients) if (!upstream) client.resetAndDestroy()
  }

  async stop() {
    for (const client of this.clients.keys()) client.destroy()
    await new Promise((resolve) => this.server.close(() => resolve(undefined)))
  }
}
