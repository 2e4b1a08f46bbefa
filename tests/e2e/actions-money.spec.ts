import { formatCents } from '../../protocol/money'
import {
  appliedCounts,
  deviceJob,
  expectDeviceMatchesServer,
  fillLines,
  serverJob,
  waitForDoc,
} from './support/actions'
import {
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

interface Line {
  id: string
  description: string
  quantity: number
  unitPriceCents: number
}

/**
 * Money is exact: the device refuses a payment above the balance; the server refuses one that
 * the office's change to the invoice made too big (Failed, with the reason, nothing else
 * held back); split payments to the cent close an invoice; and the balance the app shows after
 * sync is the server's.
 */
test('payments: never above the balance, on the device or on the server; the balance shown is the server’s', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(180_000)
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const office0 = await serverJob(server, jobId)
  const seeded = office0.invoices[0] as { id: string; lineItems: Line[]; balanceCents: number }
  const balance0 = seeded.balanceCents
  expect(balance0).toBeGreaterThan(2_000)
  const before = appliedCounts(server)

  await context.setOffline(true)
  await page.getByTestId('invoice').first().click()
  expect(await waitForDoc(page, 'invoice')).toBe(seeded.id)
  await expect(page.getByTestId('balance')).toHaveText(formatCents(balance0))
  const payments = page.getByTestId('payments')
  const amount = payments.getByLabel('Amount')
  const record = payments.getByRole('button', { name: 'Record payment' })

  // One cent too much: refused on the device, with the balance in the message; nothing queued.
  await amount.fill(((balance0 + 1) / 100).toFixed(2))
  await record.click()
  await expect(payments.locator('.error')).toHaveText(
    `A payment of ${formatCents(balance0 + 1)} is more than the balance of ${formatCents(balance0)}.`,
  )
  expect((await deviceJob(page, jobId)).outbox).toEqual([])

  // The exact balance, in two payments: $10.00 check, then the rest in cash.
  await payments.getByText('Check', { exact: true }).click()
  await amount.fill('10.00')
  await payments.getByLabel('Check number').fill('5521')
  await record.click()
  await expect(page.getByTestId('balance')).toHaveText(formatCents(balance0 - 1_000))
  await payments.getByText('Cash', { exact: true }).click()
  await amount.fill(((balance0 - 1_000) / 100).toFixed(2))
  await record.click()
  await expect(page.getByTestId('balance')).toHaveText('$0.00')
  await expect(record).toHaveCount(0)

  // A new invoice whose total has awkward cents: 3 × $33.33 at 8.25 % = $99.99 + $8.25.
  await page.goto(`/#/job/${jobId}/invoice/new`)
  await fillLines(page, [{ description: 'Filter', quantity: '3', price: '33.33' }], '8.25')
  await page.getByRole('button', { name: 'Create invoice' }).click()
  const fresh = await waitForDoc(page, 'invoice')
  await expect(page.getByTestId('balance')).toHaveText('$108.24')
  for (const part of ['36.08', '36.08', '36.08']) {
    await amount.fill(part)
    await record.click()
  }
  await expect(page.getByTestId('balance')).toHaveText('$0.00')

  // Meanwhile the office lowers the seeded invoice's first line by $5.00, so the device's two
  // payments together are now more than the server's balance.
  const office = await apiAs(server, DISPATCHER)
  const lowered = seeded.lineItems.map((l, i) =>
    i === 0 ? { ...l, unitPriceCents: l.unitPriceCents - 500 } : l,
  )
  await office.send('PATCH', `/api/dispatch/invoices/${seeded.id}`, { lineItems: lowered })
  const officeBalance = (await serverJob(server, jobId)).invoices.find((i) => i.id === seeded.id)
    ?.balanceCents as number
  expect(officeBalance).toBeLessThan(balance0)

  await context.setOffline(false)
  await page.goto('/#/settings/actions')
  const failed = page.getByTestId('outbox-item')
  await expect(failed).toHaveCount(1, { timeout: 30_000 })
  await expect(failed).toContainText('Failed')
  await expect(failed).toContainText(formatCents(balance0 - 1_000))
  await expect(page.getByTestId('failure-reason')).toContainText(
    `more than the balance of ${formatCents(officeBalance - 1_000)}`,
  )
  // Only the refused payment is held: the check and the new invoice's payments went through.
  const delta = Object.fromEntries(
    Object.entries(appliedCounts(server)).map(([k, n]) => [k, n - (before[k] ?? 0)]),
  )
  expect(delta).toEqual({ 'payment.add': 4, 'invoice.create': 1 })
  const rejected = server.sql<{ name: string; reason: string }>(
    "SELECT name, reason FROM processed_mutations WHERE status = 'rejected'",
  )
  expect(rejected).toHaveLength(1)

  // While it waits as Failed, the invoice shows the server's balance (the refused payment is
  // listed, marked Failed, but not counted), never a negative one.
  await page.goto(`/#/job/${jobId}/invoice/${seeded.id}`)
  await expect(page.getByTestId('balance')).toHaveText(formatCents(officeBalance - 1_000))
  await expect(
    page.getByTestId('payment').filter({ hasText: formatCents(balance0 - 1_000) }),
  ).toContainText('Failed')
  await page.goto(`/#/job/${jobId}`)
  await expect(page.getByTestId('invoice').first()).toContainText(
    `owed ${formatCents(officeBalance - 1_000)}`,
  )

  // The technician discards it; the app's balances are then the server's, to the cent.
  await page.goto('/#/settings/actions')
  await page.getByRole('button', { name: 'Discard' }).click()
  await page.getByTestId('confirm-discard').click()
  await expect(page.getByTestId('all-caught-up')).toBeVisible()
  const truth = await expectDeviceMatchesServer(page, server, jobId)
  const serverBalance = (id: string) =>
    truth.invoices.find((i) => i.id === id)?.balanceCents as number
  expect(serverBalance(seeded.id)).toBe(officeBalance - 1_000)
  expect(serverBalance(fresh)).toBe(0)
  expect(truth.invoices.find((i) => i.id === fresh)?.status).toBe('paid')

  await page.goto(`/#/job/${jobId}/invoice/${seeded.id}`)
  await expect(page.getByTestId('balance')).toHaveText(formatCents(serverBalance(seeded.id)))
  await page.goto(`/#/job/${jobId}/invoice/${fresh}`)
  await expect(page.getByTestId('balance')).toHaveText('$0.00')
  await expect(page.getByTestId('doc-editor')).toContainText('Status: Paid')
})
