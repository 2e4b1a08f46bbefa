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

test('an estimate edited and not saved is kept, said to be unsaved, and can be discarded', async ({
  page,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  const jobUrl = page.url()
  await page.getByTestId('estimate').first().click()
  await expect(page.getByTestId('doc-editor')).toBeVisible()
  const estimateUrl = page.url()
  const price = page.getByTestId('line-item').first().getByLabel('Unit price')
  const was = await price.inputValue()
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await price.fill('987.65')
  await expect(page.getByTestId('unsaved')).toContainText('Unsaved changes')

  // Back to the job and in again: the price typed is still there, and still said to be unsaved.
  await page.goto(jobUrl)
  await expect(page.getByTestId('job-title')).toBeVisible()
  await page.goto(estimateUrl)
  await expect(page.getByTestId('line-item').first().getByLabel('Unit price')).toHaveValue('987.65')
  await expect(page.getByTestId('unsaved')).toBeVisible()

  // Discard: the document as it is.
  await page.getByRole('button', { name: 'Discard changes' }).click()
  await expect(page.getByTestId('line-item').first().getByLabel('Unit price')).toHaveValue(was)
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
})
