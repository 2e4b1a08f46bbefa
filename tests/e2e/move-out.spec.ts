import { serverJob } from './support/actions'
import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'
import { localInput } from './support/localTime'

/**
 * A technician puts off a visit three weeks, offline: the device keeps 30 days back to 7 ahead,
 * so the sheet says before Save that the job will leave this device, and after the upload it
 * does (the server tells every device of theirs to drop it, server/db/movedOut.ts), with the
 * reason on screen. The server holds the visit at its new time. Before, the technician's other
 * devices went on showing the old time.
 */
test('a visit moved out of the kept days: said before Save, the job leaves the device after the upload', async ({
  page,
  context,
  server,
}, info) => {
  test.setTimeout(120_000)
  await signIn(page)
  await waitForTodaysVisits(page)
  const firstHref = await page.getByTestId('visit').first().getAttribute('href')
  const jobId = await openFirstJobToday(page)
  // The link the end looks for (so its absence there means the job is gone, not a wrong selector).
  expect(firstHref).toBe(`#/job/${jobId}`)
  const office = await serverJob(server, jobId)
  expect(office.appointments).toHaveLength(1)
  const appt = office.appointments[0] as { id: string }

  await context.setOffline(true)
  const move = page.getByRole('button', { name: /^Move appointment on / })
  await move.click()
  const hint = page.getByRole('status').filter({ hasText: 'leaves it at the next sync' })
  await expect(hint).toHaveCount(0)
  const start = new Date()
  start.setDate(start.getDate() + 21)
  start.setHours(9, 0, 0, 0)
  await page.getByLabel('Starts').fill(localInput(start))
  await page.getByLabel('Ends').fill(localInput(new Date(start.getTime() + 3_600_000)))
  await page.getByLabel('Ends').press('Tab')
  await expect(hint).toBeVisible()
  await page.screenshot({ path: info.outputPath('390-move-out-hint.png') })
  // Back inside the window: the warning goes.
  const tomorrow = new Date(start.getTime() - 20 * 86_400_000)
  await page.getByLabel('Starts').fill(localInput(tomorrow))
  await page.getByLabel('Starts').press('Tab')
  await expect(hint).toHaveCount(0)
  await page.getByLabel('Starts').fill(localInput(start))
  await page.getByLabel('Starts').press('Tab')
  await expect(hint).toBeVisible()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByLabel('Starts')).toHaveCount(0)
  // Offline it stays, at its new time, queued.
  await expect(page.getByTestId('appointments-of-job')).toContainText('Queued')

  await context.setOffline(false)
  await expect(
    page.getByText(/This was removed from your device: Job #\d+ was rescheduled/),
  ).toBeVisible({
    timeout: 30_000,
  })
  await expect
    .poll(async () =>
      (await serverJob(server, jobId)).appointments.map(
        (a) => (a as { id: string; startsAt: string }).startsAt,
      ),
    )
    .toEqual([start.toISOString()])
  expect(((await serverJob(server, jobId)).appointments[0] as { id: string }).id).toBe(appt.id)
  await page.screenshot({ path: info.outputPath('390-move-out-removed.png') })
  // Today no longer lists it.
  await page.goto('/#/')
  await waitForTodaysVisits(page)
  await expect(page.locator(`a[href="#/job/${jobId}"]`)).toHaveCount(0)
})
