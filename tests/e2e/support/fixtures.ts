import { type BrowserContext, test as base, expect, type Page } from '@playwright/test'
import { TestServer } from './server'

export type { TestServer }

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

/**
 * Waits until the first pre-load has finished: today's list shows and the app says "Ready to
 * work offline" (records, then full photos and PDFs, are on the device).
 */
export async function waitForTodaysVisits(page: Page): Promise<void> {
  await expect(page.getByTestId('visit').first()).toBeVisible({ timeout: 20_000 })
  await expect(page.getByTestId('preload-ready')).toBeVisible({ timeout: 45_000 })
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

export interface Api {
  get<T = unknown>(path: string): Promise<T>
  send<T = unknown>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T>
}

/** The real API as another signed-in person (the office, or a second device) from Node. */
export async function apiAs(
  server: TestServer,
  who: { email: string; password: string },
): Promise<Api> {
  const res = await fetch(`${server.url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  })
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`)
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json = (await r.json()) as T
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`)
    return json
  }
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
  }
}

export async function openFirstJobToday(page: Page): Promise<string> {
  await page.getByTestId('visit').first().click()
  await expect(page.getByTestId('job-title')).toBeVisible()
  return decodeURIComponent(new URL(page.url()).hash.replace('#/job/', ''))
}
