import { deviceJob, waitForDoc } from './support/actions'
import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * One press, one action, and the keyboard stays where it was: a double press on Make invoice
 * made two invoices (offline, under one number); Make invoice left typed lines out in silence;
 * Pre-load and Discard changes dropped the keyboard; coming back online was not said.
 */
test('Make invoice once per press, never from unsaved lines; Pre-load and Discard keep the keyboard; back online is said', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const before = (await deviceJob(page, jobId)).invoices.length
  await page.getByTestId('estimate').first().click()
  await waitForDoc(page, 'estimate')
  const estimateUrl = page.url()

  // Lines typed and not saved: Make invoice says so, and makes nothing.
  const quantity = page.getByTestId('line-item').first().getByLabel('Quantity')
  await quantity.fill('7')
  await page.getByRole('button', { name: 'Make invoice' }).click()
  await expect(page.getByRole('alert')).toContainText('Save or discard the changes')
  expect((await deviceJob(page, jobId)).invoices).toHaveLength(before)

  // Discard changes by keyboard: the form's Save takes the keyboard, and it is said.
  await page.getByRole('button', { name: 'Discard changes' }).press('Enter')
  await expect(page.getByRole('button', { name: 'Save changes' })).toBeFocused()
  await expect(page.getByTestId('announcement')).toHaveText('Changes discarded.')

  // Offline, Enter twice on Make invoice: one invoice.
  await context.setOffline(true)
  const make = page.getByRole('button', { name: 'Make invoice' })
  await make.focus()
  await page.keyboard.press('Enter')
  await page.keyboard.press('Enter')
  await waitForDoc(page, 'invoice')
  await page.waitForTimeout(500)
  expect((await deviceJob(page, jobId)).invoices).toHaveLength(before + 1)
  expect(page.url()).not.toBe(estimateUrl)

  // Back online: said, not only seen. Every announcement is recorded: the queue's "All caught
  // up" can follow within moments and replace it in the region.
  await page.evaluate(() => {
    const said: string[] = []
    ;(window as unknown as { said: string[] }).said = said
    const region = document.querySelector('[data-testid="announcement"]') as HTMLElement
    new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, {
      childList: true,
      subtree: true,
      characterData: true,
    })
  })
  await context.setOffline(false)
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { said: string[] }).said), {
      timeout: 20_000,
    })
    .toContain('Back online.')

  // Pre-load by keyboard: the button keeps the keyboard while it runs and after.
  await page.goto('/#/settings/offline')
  const preload = page.getByRole('button', { name: 'Pre-load' })
  await preload.press('Enter')
  await page.waitForTimeout(100)
  await expect(preload).toBeFocused()
  await expect(page.getByTestId('preload-button')).toHaveAttribute('aria-disabled', 'false', {
    timeout: 30_000,
  })
  await expect(preload).toBeFocused()
})
