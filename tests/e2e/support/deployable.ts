import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base } from './fixtures'
import { TestServer } from './server'

/**
 * The test's server serves its own copy of the built app (`app`), so a test can "deploy" a new
 * version (a changed service worker: the update prompt) without touching dist/.
 */
export const test = base.extend<{ app: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
  app: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'fieldline-app-'))
    cpSync('dist', dir, { recursive: true })
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
  server: async ({ app }, use) => {
    const server = new TestServer({ STATIC_DIR: app })
    await server.start()
    await use(server)
    await server.dispose()
  },
})

/** Deploys a new version into `app`: a changed sw.js, and no stale precompressed copies of it. */
export function deploy(app: string, label: string): void {
  const file = join(app, 'sw.js')
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n// ${label}\n`)
  for (const ext of ['.br', '.gz']) rmSync(`${file}${ext}`, { force: true })
}
