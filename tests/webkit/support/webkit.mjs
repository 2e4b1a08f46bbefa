// @ts-check
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import net from 'node:net'
import { Builder, By, Key, until } from 'selenium-webdriver'

export { By, Key, until }

/** Where Debian's libwebkit2gtk-4.1 keeps MiniBrowser (`WEBKIT_MINIBROWSER` overrides). */
export const MINIBROWSER =
  process.env.WEBKIT_MINIBROWSER ??
  [
    '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
  ].find((p) => existsSync(p)) ??
  '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser'

/** Without a display, creating a session hangs forever: every start gets this limit. */
const SESSION_START_LIMIT_MS = 30_000

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (s.address())
      s.close(() => resolve(port))
    })
  })
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withLimit(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)
  })
  return /** @type {Promise<T>} */ (Promise.race([promise, limit])).finally(() =>
    clearTimeout(timer),
  )
}

/**
 * One WebKitWebDriver on its own port. A driver serves one session at a time, so each test
 * file (node --test runs files in parallel processes) starts its own.
 */
export class WebKitDriver {
  url = ''
  /** @type {import('node:child_process').ChildProcess | undefined} */
  proc

  async start() {
    const port = await freePort()
    this.url = `http://127.0.0.1:${port}`
    const proc = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    this.proc = proc
    let err = ''
    proc.stderr?.on('data', (/** @type {Buffer} */ c) => {
      err += c.toString()
    })
    const started = Date.now()
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`WebKitWebDriver exited: ${err}`)
      try {
        const res = await fetch(`${this.url}/status`)
        if (res.ok) return
      } catch {}
      if (Date.now() - started > 10_000) throw new Error(`WebKitWebDriver did not start: ${err}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /**
   * A new browser session (MiniBrowser window), time-limited.
   * @returns {Promise<import('selenium-webdriver').WebDriver>}
   */
  async session() {
    const driver = new Builder()
      .usingServer(this.url)
      .withCapabilities({
        browserName: 'MiniBrowser',
        'webkitgtk:browserOptions': {
          binary: MINIBROWSER,
          args: ['--automation', '--features=StorageAPI,StorageAPIEstimate'],
        },
      })
      .build()
    try {
      await withLimit(
        driver.getSession(),
        SESSION_START_LIMIT_MS,
        'Starting a WebKit session (is there a display? run under xvfb-run -a)',
      )
    } catch (e) {
      this.stop()
      throw e
    }
    await driver.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 })
    return driver
  }

  stop() {
    if (this.proc && this.proc.exitCode === null) this.proc.kill('SIGTERM')
  }
}

/**
 * Polls `fn` until it returns a truthy value, and returns that value.
 * @template T
 * @param {() => Promise<T>} fn
 * @param {string} what what is being waited for, for the error
 * @param {number} [timeoutMs]
 * @returns {Promise<NonNullable<T>>}
 */
export async function eventually(fn, what, timeoutMs = 10_000) {
  const started = Date.now()
  /** @type {unknown} */
  let last
  for (;;) {
    try {
      const v = await fn()
      if (v) return /** @type {NonNullable<T>} */ (v)
      last = v
    } catch (e) {
      last = e
    }
    if (Date.now() - started > timeoutMs) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
