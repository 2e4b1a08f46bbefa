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
export function withLimit(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)
  })
  return /** @type {Promise<T>} */ (Promise.race([promise, limit])).finally(() =>
    clearTimeout(timer),
  )
}

/** Longest a WebDriver command may take before the test calls the browser hung. */
const COMMAND_LIMIT_MS = 45_000

/**
 * One WebKitWebDriver on its own port. A driver serves one session at a time, so each test
 * file (node --test runs files in parallel processes) starts its own.
 */
export class WebKitDriver {
  url = ''
  /** @type {import('node:child_process').ChildProcess | undefined} */
  proc
  /** The driver's (and MiniBrowser's) last stderr output, for the report when a test fails. */
  log = ''

  async start() {
    const port = await freePort()
    this.url = `http://127.0.0.1:${port}`
    const proc = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    this.proc = proc
    // A test process that fails must still end: a live driver would keep it (and CI) waiting.
    process.once('exit', () => proc.kill('SIGKILL'))
    let err = ''
    proc.stderr?.on('data', (/** @type {Buffer} */ c) => {
      err += c.toString()
      this.log = (this.log + c.toString()).slice(-4000)
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

  /**
   * Ends a session; a browser that no longer answers does not hold the test up.
   * @param {import('selenium-webdriver').WebDriver | undefined} driver
   */
  async quit(driver) {
    await withLimit(driver?.quit() ?? Promise.resolve(), 15_000, 'Ending the WebKit session').catch(
      () => {},
    )
  }

  /**
   * Whether the session is gone (MiniBrowser crashed or stopped answering): WebKitGTK's own
   * failure, not the app's. A page the app keeps busy still answers `getTitle`.
   * @param {import('selenium-webdriver').WebDriver} driver
   */
  async dead(driver) {
    try {
      await withLimit(driver.getTitle(), 10_000, 'A WebKit command')
      return false
    } catch {
      return true
    }
  }

  /**
   * Runs one test's body in a new session. If the browser itself goes away mid-test (seen once
   * in CI: NoSuchSessionError while waiting on a hanging link), the driver's log is reported and
   * the body runs once more in a new session; an app failure in a live browser is never retried.
   * @template T
   * @param {import('node:test').TestContext} t
   * @param {(driver: import('selenium-webdriver').WebDriver) => Promise<T>} body
   * @returns {Promise<T>}
   */
  async run(t, body) {
    for (let attempt = 1; ; attempt++) {
      const driver = await this.session()
      try {
        return await body(driver)
      } catch (e) {
        if (attempt > 1 || !(await this.dead(driver))) {
          t.diagnostic(`WebKitWebDriver log: ${this.log.slice(-1500)}`)
          throw e
        }
        t.diagnostic(
          `WebKit's browser went away mid-test (${String(e)}); its log: ${this.log.slice(-1500)}. Running the test once more in a new browser.`,
        )
        await this.quit(driver)
        this.stop()
        await this.start()
      } finally {
        await this.quit(driver)
      }
    }
  }

  stop() {
    const proc = this.proc
    if (!proc || proc.exitCode !== null) return
    proc.kill('SIGTERM')
    setTimeout(() => proc.exitCode === null && proc.kill('SIGKILL'), 3_000).unref()
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
      // A command to a browser that hung never answers; without a limit, neither does the test.
      const v = await withLimit(fn(), COMMAND_LIMIT_MS, `A check for ${what}`)
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
