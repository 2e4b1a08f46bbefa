import type { Page } from '@playwright/test'
import {
  addNote,
  expect,
  serverNotes,
  signIn,
  TECH,
  test,
  waitForTodaysVisits,
  withoutBackgroundSync,
} from './support/fixtures'

async function openFirstJob(page: Page): Promise<string> {
  await page.getByTestId('visit').first().click()
  await expect(page.getByTestId('job-title')).toBeVisible()
  const id = decodeURIComponent(new URL(page.url()).hash.replace('#/job/', ''))
  expect(id).toMatch(/^[0-9a-f-]{36}$/)
  return id
}

for (const variant of ['Chrome (Background Sync)', 'Safari (no Background Sync)'] as const) {
  test(`offline loop in ${variant}: load once, reload offline, queue notes, upload once in order`, async ({
    page,
    context,
    server,
    browser,
  }) => {
    const safari = variant.startsWith('Safari')
    if (safari) await withoutBackgroundSync(context)
    await signIn(page)
    expect(await page.evaluate(() => 'SyncManager' in window)).toBe(!safari)
    await waitForTodaysVisits(page)

    // Today: time, customer, address and job title on each row, and other days one tap away.
    const first = page.getByTestId('visit').first()
    await expect(first).toContainText(/\d{1,2}:\d{2}/)
    await expect(first).toContainText(/Job #\d+/)
    const todayLabel = await page.getByTestId('day-label').textContent()
    await page.getByRole('link', { name: 'Next day' }).click()
    await expect(page.getByTestId('day-label')).not.toHaveText(todayLabel ?? '')
    await page.getByRole('link', { name: 'Today', exact: true }).first().click()
    await expect(page.getByTestId('day-label')).toHaveText(todayLabel ?? '')

    const jobId = await openFirstJob(page)
    const title = await page.getByTestId('job-title').textContent()
    const before = serverNotes(server, jobId)

    // Airplane mode, then a reload: the shell comes from the service worker, data from IndexedDB.
    await context.setOffline(true)
    const response = await page.reload()
    expect(response?.fromServiceWorker()).toBe(true)
    await expect(page.getByTestId('job-title')).toHaveText(title ?? '')
    await expect(page.getByTestId('offline-alert')).toBeVisible()

    const notes = [
      'Shut-off valve seized, replaced',
      'Customer asked for a quote on the softener',
      'Left spare filter in garage',
    ]
    // One toast, counting up: "Saved on this device; …", then "… 2 actions saved offline."
    const saved = "Saved on this device; it will upload when you're back online."
    for (const [i, n] of notes.entries()) {
      await addNote(page, n)
      await expect(page.getByTestId('toast')).toHaveText(
        i === 0 ? saved : `${saved} ${i + 1} actions saved offline.`,
      )
    }
    // Newest first, each marked Queued; the server has none of them yet.
    const shown = page.getByTestId('note')
    await expect(shown.first()).toContainText(notes[2] as string)
    for (const n of notes)
      await expect(shown.filter({ hasText: n }).getByText('Queued')).toBeVisible()
    await expect(page.getByTestId('pending-count')).toHaveText('3')
    expect(serverNotes(server, jobId)).toEqual(before)

    // Back online: the queue uploads by itself and the pending marks clear.
    await context.setOffline(false)
    await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
    await expect(page.getByText('Queued')).toHaveCount(0)
    expect(serverNotes(server, jobId)).toEqual([...before, ...notes])
    const processed = server.sql<{ n: number }>(
      "SELECT count(*) AS n FROM processed_mutations WHERE name = 'note.add' AND status = 'applied'",
    )
    expect(processed[0]?.n).toBe(3)

    // Another device signed in as the same technician sees them after its pull.
    const other = await browser.newContext({ baseURL: server.url })
    const otherPage = await other.newPage()
    await signIn(otherPage, TECH)
    await waitForTodaysVisits(otherPage)
    await otherPage.goto(`/#/job/${jobId}`)
    for (const n of notes)
      await expect(otherPage.getByTestId('note').filter({ hasText: n })).toBeVisible()
    await other.close()
  })
}

test('a tab closed offline with notes pending: a new tab back online uploads them', async ({
  page,
  context,
  server,
}) => {
  // No Background Sync here, so only the new tab can be what uploads.
  await withoutBackgroundSync(context)
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJob(page)
  const before = serverNotes(server, jobId)
  await context.setOffline(true)
  await addNote(page, 'Written before the tab closed (1)')
  await addNote(page, 'Written before the tab closed (2)')
  await page.close()

  await context.setOffline(false)
  const again = await context.newPage()
  await again.goto(`/#/job/${jobId}`)
  await expect(again.getByTestId('note').filter({ hasText: '(2)' })).toBeVisible()
  // The server is the proof; no word on screen is (Queued turns Uploading before it is done).
  await expect
    .poll(() => serverNotes(server, jobId), { timeout: 20_000 })
    .toEqual([...before, 'Written before the tab closed (1)', 'Written before the tab closed (2)'])
  await expect(again.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
})
