import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from '@playwright/test'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, '../../..')
let built: Promise<string> | undefined

/** Bundles page/faultsHelper.ts (the app's offline/ code) once per test worker. */
function buildHelper(): Promise<string> {
  built ??= (async () => {
    const { build } = await import('vite')
    const out = mkdtempSync(join(tmpdir(), 'fieldline-faults-helper-'))
    try {
      await build({
        configFile: false,
        root: ROOT,
        logLevel: 'warn',
        define: { 'process.env.NODE_ENV': '"production"' },
        build: {
          outDir: out,
          emptyOutDir: true,
          target: 'es2022',
          minify: false,
          lib: {
            entry: join(HERE, 'page/faultsHelper.ts'),
            formats: ['es'],
            fileName: () => 'helper.js',
          },
        },
      })
      return readFileSync(join(out, 'helper.js'), 'utf8')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })()
  return built
}

/** Serves the helper at /__faults/helper.js in this context (answered by Playwright, not the server). */
export async function serveHelper(context: BrowserContext): Promise<void> {
  const code = await buildHelper()
  await context.route('**/__faults/helper.js', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: code }),
  )
}

/** Loads the helper into a signed-in page. */
export async function loadHelper(page: Page): Promise<void> {
  await page.addScriptTag({ url: '/__faults/helper.js', type: 'module' })
  await page.waitForFunction(() => Boolean(window.fieldlineFaults))
}
