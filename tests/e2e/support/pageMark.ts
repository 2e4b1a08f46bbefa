import type { Page } from '@playwright/test'

/** Leaves a mark on the page's window; a reload (the update taking effect) clears it. */
export async function mark(page: Page, name = 'beforeUpdate'): Promise<void> {
  await page.evaluate((n) => {
    ;(window as unknown as Record<string, boolean>)[n] = true
  }, name)
}

/** Whether the page still holds the mark (false once it reloaded). */
export async function marked(page: Page, name = 'beforeUpdate'): Promise<boolean> {
  try {
    return await page.evaluate((n) => n in window, name)
  } catch {
    return true // navigating right now: ask again
  }
}

/** Shows the app's tab again: it asks the server for a new version (and drains). */
export async function comeBack(page: Page): Promise<void> {
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')))
}
