import { expect, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * In iPhone Safari, Today asks the technician to add Fieldline to the Home Screen (Safari deletes
 * a website's data after 7 days without use) without pushing the day's work off a 390 × 844
 * screen: the steps are folded under "Show me how", and the first visit stays in view.
 */
test('iPhone Safari: the install card leaves the first visit in view; its steps open on demand', async ({
  page,
  context,
}, info) => {
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'standalone', { get: () => false })
    Object.defineProperty(Navigator.prototype, 'maxTouchPoints', { get: () => 5 })
  })
  await signIn(page)
  await waitForTodaysVisits(page)
  const card = page.getByRole('region', { name: 'Add Fieldline to your Home Screen' })
  await expect(card).toBeVisible()
  await expect(card.getByText('Add to Home Screen', { exact: false })).toBeHidden()
  // The first visit is on screen, whole, above the bottom navigation.
  const visit = page.getByTestId('visit').first()
  const nav = page.getByRole('navigation', { name: 'Main' })
  const [visitBox, navBox] = [await visit.boundingBox(), await nav.boundingBox()]
  expect(visitBox && navBox && visitBox.y + visitBox.height <= navBox.y).toBe(true)
  await page.screenshot({ path: info.outputPath('390-today-install-card.png') })

  await card.getByText('Show me how').click()
  await expect(card.getByRole('listitem')).toHaveCount(3)
  await expect(card.getByText('Add to Home Screen', { exact: false })).toBeVisible()
  // Put away by keyboard, the next Tab stop is the day's first visit, not the top of the screen.
  await card.getByRole('button', { name: 'Not now' }).press('Enter')
  await expect(card).toBeHidden()
  await expect(visit).toBeFocused()
})

/** Chromium: Install by keyboard opens the browser's prompt; the card goes, the keyboard moves on. */
test('Chromium: Install Fieldline by keyboard hands focus to the first visit, not the top bar', async ({
  page,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await page.evaluate(() => {
    const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
      prompt: async () => {},
      userChoice: Promise.resolve({ outcome: 'dismissed' }),
    })
    dispatchEvent(offer)
  })
  const card = page.getByRole('region', { name: 'Use Fieldline as an app' })
  await card.getByRole('button', { name: 'Install Fieldline' }).press('Enter')
  await expect(card).toBeHidden()
  await expect(page.getByTestId('visit').first()).toBeFocused()
})
