import { defineConfig } from '@playwright/test'
import { CHROMIUM } from './tests/e2e/support/browser'

// End-to-end tests drive Debian's Chromium (Playwright's own browser download does not work
// here) against the built app and the real server on a temporary SQLite file per test.
export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 90_000,
  // A hang anywhere must end the run well inside CI's 90 minutes (a full run takes ~7).
  globalTimeout: 30 * 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM,
  },
})
