import {
  addNote,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  test,
  waitForTodaysVisits,
  withoutBackgroundSync,
} from './support/fixtures'

/**
 * A poisoned queue drains around the bad entry. The server here fails (500) on any push that
 * carries one particular note, the way a server bug or an unforeseen input would; every other
 * action queued offline before and after it must still reach the office, in order, and the bad
 * one must be shown as "could not upload" with Retry and Discard, never retried forever in
 * silence. context.route sees the service worker's requests too, so both sync paths meet it.
 */
for (const variant of ['Chrome (Background Sync)', 'Safari (no Background Sync)'] as const) {
  test(`${variant}: a queue with one action the server fails on uploads everything else, and shows the one`, async ({
    page,
    context,
    server,
  }) => {
    if (variant.startsWith('Safari')) await withoutBackgroundSync(context)
    let poisonedPushes = 0
    await context.route('**/api/sync/push', async (route) => {
      if (route.request().postData()?.includes('POISON')) {
        poisonedPushes++
        await route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({
            error: 'internal',
            message: 'Something went wrong on the server.',
          }),
        })
      } else {
        await route.continue()
      }
    })
    await signIn(page)
    await waitForTodaysVisits(page)
    const jobId = await openFirstJobToday(page)
    const before = serverNotes(server, jobId)

    await context.setOffline(true)
    const notes = ['Before 1', 'Before 2', 'POISON note', 'After 1', 'After 2']
    for (const note of notes) await addNote(page, note)
    await expect(page.getByTestId('pending-count')).toHaveText('5')

    await context.setOffline(false)
    const notice = page.getByTestId('failed-notice')
    // "The others keep uploading." only while others wait: they may all be up already.
    await expect(notice).toHaveText(/^1 action could not upload\.( The others keep uploading\.)?/, {
      timeout: 30_000,
    })
    await expect
      .poll(() => serverNotes(server, jobId), { timeout: 20_000 })
      .toEqual([...before, 'Before 1', 'Before 2', 'After 1', 'After 2'])
    await expect(page.getByTestId('pending-count')).toHaveText('1')
    // The pill tells the one left from the ones that wait for signal.
    // One action, counted once; and the link says where it goes.
    await expect(page.getByTestId('connection')).toHaveAccessibleName('Online 1 could not upload')
    await expect(page.getByTestId('connection')).toHaveAccessibleDescription(
      'Opens Offline Actions',
    )
    // Narrowed down, not resent forever: the whole batch, its first half, three times alone,
    // and one last try behind the others.
    await expect.poll(() => poisonedPushes, { timeout: 10_000 }).toBe(6)
    const settled = poisonedPushes

    await notice.getByRole('link', { name: 'Review' }).click()
    const item = page.getByTestId('outbox-item').filter({ hasText: 'Note on Job' })
    await expect(item).toHaveCount(1)
    await expect(item.getByTestId('failure-reason')).toContainText('error 500')
    await expect(item.getByRole('button', { name: 'Retry' })).toBeVisible()
    await expect(item.getByRole('button', { name: 'Discard' })).toBeVisible()
    await page.screenshot({ path: test.info().outputPath('poisoned-queue-390.png') })
    // Nothing retries it by itself.
    await page.waitForTimeout(3_000)
    expect(poisonedPushes).toBe(settled)

    // The server is fixed; the technician taps Retry: it uploads, once, at the end.
    await context.unroute('**/api/sync/push')
    await item.getByRole('button', { name: 'Retry' }).click()
    await expect(page.getByTestId('all-caught-up')).toBeVisible({ timeout: 20_000 })
    await expect(page.getByTestId('failed-notice')).toHaveCount(0)
    expect(serverNotes(server, jobId)).toEqual([
      ...before,
      'Before 1',
      'Before 2',
      'After 1',
      'After 2',
      'POISON note',
    ])
  })
}
