import { expect, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * A hundred jobs on the device: the Jobs screen groups them (Upcoming, Earlier) under headings a
 * screen reader can jump by, and a search narrows them by customer, address, title or number,
 * offline too (it reads the device's copy).
 */
test('Jobs: grouped under headings, and a search by customer, address or number, offline', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await context.setOffline(true)
  await page.goto('/#/jobs')
  const cards = page.getByTestId('job-card')
  await expect(cards.first()).toBeVisible()
  const total = await cards.count()
  expect(total).toBeGreaterThan(5)
  await expect(page.getByRole('heading', { level: 2, name: 'Upcoming' })).toBeVisible()

  // A job on the device (the list holds the sync window's jobs, not all of Alex's).
  const number = Number((await cards.nth(2).textContent())?.match(/Job #(\d+)/)?.[1])
  const [job] = server.sql<{ number: number; name: string }>(
    'SELECT j.number, c.name FROM jobs j JOIN customers c ON c.id = j.customer_id WHERE j.number = ?',
    number,
  )
  if (!job) throw new Error(`no job #${number}`)
  const search = page.getByRole('searchbox', { name: 'Search jobs' })
  // By number, with or without #: one job.
  await search.fill(`#${job.number}`)
  await expect(cards.filter({ hasText: `Job #${job.number}` })).toHaveCount(1)
  expect(await cards.count()).toBeLessThan(total)
  // By customer, in another case: every card shown is that customer's.
  await search.fill(job.name.toUpperCase())
  await expect(page.getByRole('status').filter({ hasText: /found/ })).toBeVisible()
  for (const text of await cards.allTextContents()) expect(text).toContain(job.name)
  // Nothing matches: said, not an empty screen.
  await search.fill('zzzz no such job')
  await expect(cards).toHaveCount(0)
  await expect(page.getByText('No job on this device matches.')).toBeVisible()
  await search.fill('')
  await expect(cards).toHaveCount(total)

  // A job opened from a search: the Jobs tab stays marked, and Back returns to the search.
  await search.fill(`#${job.number}`)
  await cards.filter({ hasText: `Job #${job.number}` }).click()
  await expect(page.getByRole('heading', { name: `Job #${job.number}` })).toBeVisible()
  const nav = page.getByRole('navigation', { name: 'Main' })
  await expect(nav.getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page')
  await page.getByRole('link', { name: 'Back' }).click()
  await expect(search).toHaveValue(`#${job.number}`)
  await expect(cards).toHaveCount(1)
  await context.setOffline(false)
})
