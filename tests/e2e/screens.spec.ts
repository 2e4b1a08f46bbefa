import { addNote, expect, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * Screenshots of the main screens at phone and tablet size, saved under test-results/ for a
 * person to look at (not compared pixel by pixel: fonts differ between machines).
 */
for (const size of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 1280, height: 800 },
]) {
  test(`screens at ${size.name} size`, async ({ page, context }, info) => {
    await page.setViewportSize(size)
    const shot = (name: string) =>
      page.screenshot({ path: info.outputPath(`${size.name}-${name}.png`), fullPage: false })
    await page.goto('/')
    await shot('signin')
    await signIn(page)
    await waitForTodaysVisits(page)
    await shot('day')
    await page.getByTestId('visit').first().click()
    await expect(page.getByTestId('job-title')).toBeVisible()
    await context.setOffline(true)
    await addNote(page, 'Pressure relief valve dripping; replaced washer.')
    await shot('job-offline')
    await page.evaluate(() => window.scrollTo(0, 0))
    await shot('job-top')
    await page.getByTestId('invoice').first().click()
    await expect(page.getByTestId('doc-editor')).toBeVisible()
    await shot('invoice')
    await page.getByRole('link', { name: 'Settings' }).click()
    await shot('settings')
    await page.getByTestId('offline-settings-link').click()
    await expect(page.getByTestId('setting-offlineEnabled')).toBeVisible()
    await shot('offline-settings')
    await page.goBack()
    await page.getByTestId('offline-actions-link').click()
    await expect(page.getByTestId('outbox-item')).toHaveCount(1)
    await shot('offline-actions')
    await context.setOffline(false)
    await expect(page.getByTestId('all-caught-up')).toBeVisible({ timeout: 20_000 })
    await shot('all-caught-up')
  })
}
