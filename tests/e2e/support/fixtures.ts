import { type BrowserContext, test as base, expect, type Page } from '@playwright/test'
import { TestServer } from './server'

export const TECH = { email: 'alex@fieldline.test', password: 'fieldline', name: 'Alex Rivera' }
export const DISPATCHER = { email: 'dana@fieldline.test', password: 'fieldline' }

export const test = base.extend<{ server: TestServer }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
  server: async ({}, use) => {
    const server = new TestServer()
    await server.start()
    await use(server)
    await server.dispose()
  },
  baseURL: async ({ server }, use) => use(server.url),
})
export { expect }

/** Removes Background Sync from the page, as in mobile Safari (the worker tolerates it). */
export async function withoutBackgroundSync(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    // biome-ignore lint/suspicious/noExplicitAny: deleting browser globals on purpose
    const w = window as any
    delete w.SyncManager
    if (w.ServiceWorkerRegistration) delete w.ServiceWorkerRegistration.prototype.sync
  })
}

/** First visit online: sign in, wait until the service worker controls the page. */
export async function signIn(page: Page, who = TECH): Promise<void> {
  await page.goto('/')
  await page.getByLabel('Email').fill(who.email)
  await page.getByLabel('Password').fill(who.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Today' })).toBeVisible()
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
}

/** Waits until the first pull has filled the local database (today's list shows). */
export async function waitForTodaysVisits(page: Page): Promise<void> {
  await expect(page.getByTestId('visit').first()).toBeVisible({ timeout: 20_000 })
}

export async function addNote(page: Page, text: string): Promise<void> {
  await page.getByPlaceholder('Add a note…').fill(text)
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('note').filter({ hasText: text })).toBeVisible()
}

/** Server-side truth: the notes of a job in the order the server stored them. */
export function serverNotes(server: TestServer, jobId: string): string[] {
  return server
    .sql<{ body: string }>('SELECT body FROM notes WHERE job_id = ? ORDER BY rowid', jobId)
    .map((r) => r.body)
}
