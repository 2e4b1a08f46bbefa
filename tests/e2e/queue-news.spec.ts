import {
  addNote,
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

test.describe.configure({ timeout: 120_000 })

/**
 * What the queue does out of sight is said, not only drawn: a conflict coming back from an upload
 * is a notice on whatever screen the technician is on and an announcement; resolved by keyboard,
 * the keyboard stays in the queue (it went to Back), and the queue emptying is heard.
 */
test('a conflict that comes back is said on every screen; chosen by keyboard, focus stays in the queue', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const office = await apiAs(server, DISPATCHER)

  await context.setOffline(true)
  await page.getByRole('button', { name: 'Edit job details' }).click()
  await page.getByLabel('Title').fill('Title from the field')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await addNote(page, 'Written after the title')
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { title: 'Title from the office' })
  await context.setOffline(false)

  // On the job screen: a notice in words, and the news in the announcement region.
  const notice = page.getByTestId('conflict-notice')
  await expect(notice).toHaveText(/The office changed something you changed too\./, {
    timeout: 30_000,
  })
  await expect(page.getByTestId('announcement')).toContainText('choose what to keep')
  await notice.getByRole('link', { name: 'Choose what to keep' }).press('Enter')
  const item = page.getByTestId('outbox-item').filter({ has: page.getByTestId('conflict') })
  await expect(item).toBeFocused()
  await expect(page.getByRole('status').filter({ hasText: 'needs your choice' })).toHaveCount(1)

  // Chosen by keyboard: the keyboard is on the action (or, once it is uploaded, the screen's
  // heading), never on Back.
  await page.getByRole('button', { name: /^Keep mine: / }).press('Enter')
  await expect(page.getByTestId('all-caught-up')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('heading', { level: 1, name: 'Offline Actions' })).toBeFocused()
  await expect(page.getByRole('status').filter({ hasText: 'All caught up' })).toHaveCount(1)
  await expect(page.getByRole('link', { name: 'Back' })).not.toBeFocused()
  expect(
    server.sql<{ title: string }>('SELECT title FROM jobs WHERE id = ?', jobId)[0]?.title,
  ).toBe('Title from the field')
})
