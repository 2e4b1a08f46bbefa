// @ts-check
import { after, before } from 'node:test'
import { CuttableProxy } from './proxy.mjs'
import { TestServer } from './server.mjs'
import { WebKitDriver } from './webkit.mjs'

/**
 * What each WebKit test file stands on: the real server on a temporary database, a proxy in
 * front of it that can cut the link (refuse or hang), and the WebKit driver. Started before the
 * file's tests and stopped after them, each with a limit, so a hang ends the run instead of CI.
 */
export function webkitRig() {
  const rig = {
    server: new TestServer(),
    webkit: new WebKitDriver(),
    /** Set once the file's `before` has run. */
    proxy: /** @type {CuttableProxy} */ (/** @type {unknown} */ (undefined)),
    /**
     * A session the file opened itself (not through `webkit.run`), ended after its tests.
     * @type {import('selenium-webdriver').WebDriver | undefined}
     */
    driver: undefined,
  }
  before(
    async () => {
      await Promise.all([rig.server.start(), rig.webkit.start()])
      rig.proxy = new CuttableProxy(rig.server.url)
      await rig.proxy.start()
    },
    { timeout: 60_000 },
  )
  after(
    async () => {
      await rig.webkit.quit(rig.driver)
      rig.webkit.stop()
      await rig.proxy?.stop()
      await rig.server.dispose()
    },
    { timeout: 60_000 },
  )
  return rig
}
