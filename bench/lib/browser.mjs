// @ts-check
import { join } from 'node:path'
import { chromium } from '@playwright/test'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * The bench's own bundles, served by the proxy under /bench-baseline/: the page helper (calls
 * the app's perform() and does the raw-IndexedDB floors) and the workbox Queue baseline worker.
 * @param {string} root @param {string} out
 */
export async function buildBenchBundles(root, out) {
  const { build } = await import('vite')
  const common = {
    configFile: /** @type {false} */ (false),
    root,
    logLevel: /** @type {'warn'} */ ('warn'),
    define: { 'process.env.NODE_ENV': '"production"' },
  }
  /** @param {string} entry @param {'es' | 'iife'} format @param {string} fileName @param {boolean} empty */
  const lib = (entry, format, fileName, empty) =>
    build({
      ...common,
      build: {
        outDir: out,
        emptyOutDir: empty,
        target: 'es2022',
        minify: false,
        lib: {
          entry: join(root, entry),
          formats: [format],
          name: 'fieldlineBenchSw',
          fileName: () => fileName,
        },
      },
    })
  await lib('bench/web/helper.ts', 'es', 'helper.js', true)
  await lib('bench/web/baseline-sw.ts', 'iife', 'sw.js', false)
}

/** Runs first in every page: click times and the first visit row's appearance. */
function instrument() {
  /** @type {any} */
  const w = window
  const b = {
    clicks: /** @type {any[]} */ ([]),
    firstVisit: /** @type {number|null} */ (null),
    arm() {},
  }
  w.__bench = b
  document.addEventListener(
    'click',
    (e) => {
      const t = /** @type {Element} */ (e.target)
      b.clicks.push({
        t: performance.now(),
        testid: t?.closest?.('[data-testid]')?.getAttribute('data-testid') ?? null,
        text: (t?.closest?.('button')?.textContent ?? '').trim(),
      })
    },
    true,
  )
  b.arm = () => {
    b.firstVisit = null
    const mo = new MutationObserver(() => {
      if (document.querySelector('[data-testid="visit"]')) {
        b.firstVisit = performance.now()
        mo.disconnect()
      }
    })
    mo.observe(document, { childList: true, subtree: true })
  }
  b.arm()
}

/**
 * Headless Chromium in a persistent profile (IndexedDB on disk), the proxy as its only origin.
 * Closed by the cleanup if the bench fails.
 * @param {{ profileDir: string, baseURL: string, cleanup: ReturnType<typeof import('./phases.mjs').createCleanup> }} o
 */
export async function launchBrowser({ profileDir, baseURL, cleanup }) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
    baseURL,
  })
  const unregister = cleanup.add('browser', () => context.close())
  await context.addInitScript(instrument)
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    async close() {
      unregister()
      await context.close()
    },
  }
}

/**
 * @param {import('playwright-core').Page} page
 * @param {{ email: string, password: string }} who
 * @param {(what: string) => void} waitFor
 */
export async function signIn(page, who, waitFor) {
  waitFor('the sign-in form')
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.evaluate(() => /** @type {any} */ (window).__bench.arm())
  await page.getByRole('button', { name: 'Sign in' }).click()
  waitFor(`the first visit on screen after signing in as ${who.email}`)
  await page.getByTestId('visit').first().waitFor({ timeout: 90_000 })
}

/** The bench helper (window.fieldlineBench) in the app page, once. @param {import('playwright-core').Page} page */
export async function loadHelper(page) {
  if (await page.evaluate(() => Boolean(window.fieldlineBench))) return
  await page.addScriptTag({ url: '/bench-baseline/helper.js', type: 'module' })
  await page.waitForFunction(() => Boolean(window.fieldlineBench))
}

/** No sync spinner on screen. @param {import('playwright-core').Page} page */
export const idle = (page) => page.evaluate(() => document.querySelector('.spinning') === null)
