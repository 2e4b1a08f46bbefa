import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'

/** A technician called away mid-sentence comes back to what they typed, not to an empty box. */
test('a half-written note survives going to another screen and back', async ({ page }) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  const jobUrl = page.url()
  const box = page.getByLabel('New note')
  await box.fill('Compressor hums but the fan does not')
  await page.getByRole('link', { name: 'Today' }).click()
  await waitForTodaysVisits(page)
  await page.goto(jobUrl)
  await expect(page.getByLabel('New note')).toHaveValue('Compressor hums but the fan does not')
  // Saved: the draft is gone with it.
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('note').first()).toContainText('Compressor hums')
  await page.getByRole('link', { name: 'Today' }).click()
  await waitForTodaysVisits(page)
  await page.goto(jobUrl)
  await expect(page.getByLabel('New note')).toHaveValue('')
})
