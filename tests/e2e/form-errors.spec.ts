import type { Locator } from '@playwright/test'
import { waitForDoc } from './support/actions'
import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * A form's error is heard, not only seen: the field it is about takes focus, is marked invalid and
 * is described by the message (WCAG 3.3.1, 1.3.1, 4.1.3), and the message says which field. Before,
 * each form showed a plain paragraph under the button and focus stayed on the button.
 */
async function expectFieldError(field: Locator, message: string | RegExp) {
  await expect(field).toBeFocused()
  await expect(field).toHaveAttribute('aria-invalid', 'true')
  await expect(field).toHaveAccessibleDescription(message)
}

test('form errors name their field, take focus there and are read out: payment, lines, appointment', async ({
  page,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  const jobUrl = page.url()

  // Payment: an amount that is not one, then a check with no number.
  await page.getByTestId('invoice').first().click()
  await waitForDoc(page, 'invoice')
  const payments = page.getByTestId('payments')
  const amount = payments.getByLabel('Amount')
  await amount.fill('abc')
  await payments.getByRole('button', { name: 'Record payment' }).press('Enter')
  await expectFieldError(amount, 'Enter an amount like 40.00.')
  await amount.fill('1.00')
  await payments.getByText('Check', { exact: true }).click()
  await payments.getByRole('button', { name: 'Record payment' }).press('Enter')
  await expectFieldError(
    payments.getByLabel('Check number'),
    'A check payment needs the check number.',
  )
  // Fixed: the mark goes with the message.
  await payments.getByLabel('Check number').fill('1042')
  await expect(amount).not.toHaveAttribute('aria-invalid', 'true')
  // More than the balance: said on the amount, not as a page-level alert.
  const balance = (await page.getByTestId('balance').textContent()) ?? ''
  await amount.fill('9999999.99')
  await payments.getByRole('button', { name: 'Record payment' }).press('Enter')
  await expectFieldError(
    amount,
    `A payment of $9,999,999.99 is more than the balance of ${balance}.`,
  )
  await expect(page.getByTestId('balance')).toHaveCount(1)
  await amount.fill('1.00')

  // Lines: the second line's quantity is not a number.
  const lines = page.getByTestId('line-item')
  const line = (await lines.count()) > 1 ? 1 : 0
  const quantity = lines.nth(line).getByLabel('Quantity')
  await quantity.fill('two')
  await page.getByRole('button', { name: 'Save changes' }).press('Enter')
  await expectFieldError(quantity, `Line ${line + 1}: enter a quantity like 1 or 2.5.`)
  // A rule of the shared schema is said in the technician's words, on its field, once: a tax of
  // 500 % got "taxRateBps must be 10000 or less", on no field, as an alert and a toast.
  await quantity.fill('1')
  const tax = page.getByLabel('Tax rate (%)')
  await tax.fill('500')
  await page.getByRole('button', { name: 'Save changes' }).press('Enter')
  await expectFieldError(tax, 'Enter a tax rate from 0 to 100.')
  await expect(page.getByText('taxRateBps')).toHaveCount(0)
  await expect(page.getByTestId('toast')).toHaveCount(0)
  // No totals for what no save would keep.
  await expect(page.getByTestId('totals')).toHaveCount(0)
  await tax.fill('0')
  await expect(page.getByTestId('totals')).toBeVisible()

  // Appointment: an end before the start; the times typed stay as typed.
  await page.goto(jobUrl)
  await page
    .getByRole('button', { name: /^Move appointment on / })
    .first()
    .click()
  const starts = page.getByLabel('Starts')
  const ends = page.getByLabel('Ends')
  await starts.fill('2026-12-10T10:00')
  await ends.fill('2026-12-10T09:00')
  await page.getByRole('button', { name: 'Save', exact: true }).press('Enter')
  await expectFieldError(ends, 'The end must be after the start.')
  await expect(starts).toHaveValue('2026-12-10T10:00')
  await expect(ends).toHaveValue('2026-12-10T09:00')
  await page.getByRole('button', { name: 'Cancel' }).click()

  // A job title of spaces: on the field, in words (it got "changes.title must not be empty").
  await page.getByRole('button', { name: 'Edit job details' }).click()
  const title = page.getByLabel('Title')
  const description = page.getByLabel('Description')
  await description.fill('Typed before the error')
  await title.fill('   ')
  await page.getByRole('button', { name: 'Save', exact: true }).press('Enter')
  await expectFieldError(title, 'Give the job a title.')
  await expect(page.getByText('must not be empty')).toHaveCount(0)
  // What was typed stays typed (the error's re-render put the job's values back).
  await expect(description).toHaveValue('Typed before the error')
  await expect(title).toHaveValue('   ')
  // Saved again with Enter in the field: focus cannot move there, so the message is announced.
  await title.press('Enter')
  await expect(page.getByTestId('announcement')).toHaveText('Give the job a title.')
  await page.getByRole('button', { name: 'Cancel' }).click()

  // A signer's name of spaces is refused out loud, not in silence.
  await page.getByRole('button', { name: 'Collect signature' }).click()
  const signer = page.getByLabel("Signer's name")
  await signer.fill('   ')
  await page.getByRole('button', { name: 'Save signature' }).press('Enter')
  await expectFieldError(signer, /^Cannot save yet\. To save: type the signer’s name/)
})
