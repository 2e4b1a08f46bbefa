import { test as base } from '@playwright/test'
import { makePdf } from './support/actions'
import { expect, TECH, test } from './support/fixtures'
import { checkNames, type NameProblem } from './support/names'
import { makePng } from './support/png'

/**
 * The product brief walked the way an outside acceptance suite drives it: only by the names and
 * labels a person sees (getByRole, getByLabel, getByText with the brief's words), no test ids, no
 * CSS. A control this walk cannot find by the words a technician would use is a naming defect.
 * On each screen it visits, the generic check (support/names.ts) asks that every control has a
 * name holding its visible words, no vague icon names, no placeholder-only fields, and no two
 * links or buttons of one name on one screen.
 */

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
]

for (const size of SIZES) {
  test(`the brief by visible names (${size.name} ${size.width}×${size.height})`, async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000)
    await page.setViewportSize({ width: size.width, height: size.height })
    const problems: NameProblem[] = []
    const check = async (screen: string) => problems.push(...(await checkNames(page, screen)))

    // Sign in with the demo sign-in (README).
    await page.goto('/')
    await check('sign-in')
    await page.getByLabel('Email').fill(TECH.email)
    await page.getByLabel('Password').fill(TECH.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible()
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null)
    await expect(page.getByText('Ready to work offline')).toBeVisible({ timeout: 45_000 })

    // Today's appointments; the bottom bar; the day view's day buttons.
    const main = page.getByRole('navigation', { name: 'Main' })
    await expect(main.getByRole('link', { name: 'Today' })).toBeVisible()
    await expect(main.getByRole('link', { name: 'Jobs' })).toBeVisible()
    await expect(main.getByRole('link', { name: 'Settings' })).toBeVisible()
    await expect(page.getByRole('link', { name: 'Next day' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Refresh' })).toBeVisible()
    await check('today')

    // A job, from its appointment (each card is one link, named by what it shows).
    await page
      .getByRole('link', { name: /Job #\d+/ })
      .first()
      .click()
    await expect(page.getByRole('link', { name: 'Back' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Customer' })).toBeVisible()
    // Tap to call, and the map link, say so in their names.
    await expect(page.getByRole('link', { name: /^Call \(\d{3}\)/ }).first()).toBeVisible()
    await expect(page.getByRole('link', { name: /, open map$/ })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Notes' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Photos and PDFs' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Estimates and invoices' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Signatures' })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Appointments' })).toBeVisible()
    await check('job')
    await page.screenshot({ path: test.info().outputPath(`${size.name}-job-top.png`) })
    const jobUrl = page.url()

    // Job details: edit.
    await page.getByRole('button', { name: 'Edit job details' }).click()
    const details = page.getByRole('dialog', { name: 'Job details' })
    await expect(details.getByLabel('Title')).toBeVisible()
    await expect(details.getByLabel('Description')).toBeVisible()
    await expect(details.getByRole('combobox', { name: 'Status' })).toBeVisible()
    await check('job details sheet')
    await details.getByRole('button', { name: 'Cancel' }).click()

    // Notes.
    await page.getByRole('textbox', { name: 'New note' }).fill('Walked by name: online note')
    await page.getByRole('button', { name: 'Save note' }).click()
    await expect(page.getByText('Walked by name: online note')).toBeVisible()

    // Labels: add one from the list, make a new one, remove one. The keyboard first: Enter
    // opens the picker, Escape closes it and gives the focus back to the button.
    const addLabel = page.getByRole('button', { name: 'Add label' })
    await addLabel.focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('dialog', { name: 'Add a label' })).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(addLabel).toBeFocused()
    await addLabel.click()
    const picker = page.getByRole('dialog', { name: 'Add a label' })
    await expect(picker.getByRole('textbox', { name: 'New label' })).toBeVisible()
    await expect(picker.getByRole('group', { name: 'Colour' })).toBeVisible()
    await check('label picker')
    await picker.getByRole('textbox', { name: 'New label' }).fill('Walked')
    await picker.getByRole('button', { name: 'Blue' }).click()
    await expect(picker.getByRole('button', { name: 'Blue' })).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await picker.getByRole('button', { name: 'Create and add' }).click()
    await expect(page.getByRole('button', { name: 'Remove label Walked' })).toBeVisible()

    // Photos and PDFs: the pickers by their visible words.
    // The pickers read as buttons ("Take photo, button"), as they look.
    await page
      .getByRole('button', { name: 'Take photo' })
      .setInputFiles({ name: 'walk.png', mimeType: 'image/png', buffer: makePng(64, 48) })
    await expect(page.getByRole('button', { name: /Photo: walk\.png/ })).toBeVisible()
    await page
      .getByRole('button', { name: 'Add PDF' })
      .setInputFiles({ name: 'walk.pdf', mimeType: 'application/pdf', buffer: makePdf('walk') })
    await expect(page.getByRole('button', { name: /PDF: walk\.pdf/ })).toBeVisible()
    await page.getByRole('button', { name: /Photo: walk\.png/ }).click()
    const viewer = page.getByRole('dialog', { name: 'walk.png' })
    await expect(viewer.getByRole('img', { name: 'walk.png' })).toBeVisible()
    await check('photo viewer')
    await viewer.getByRole('button', { name: 'Close' }).click()

    // Job form: its fields by their labels.
    await page.getByRole('textbox', { name: 'Technician comments' }).fill('Walked')
    await page.getByRole('button', { name: 'Save answers' }).click()
    await expect(page.getByRole('textbox', { name: 'Technician comments' })).toHaveValue('Walked')

    // Appointments: book a new one, move one.
    await page.getByRole('button', { name: 'New appointment' }).click()
    const booking = page.getByRole('dialog', { name: 'New appointment' })
    await expect(booking.getByLabel('Starts')).toBeVisible()
    await expect(booking.getByLabel('Ends')).toBeVisible()
    await check('new appointment sheet')
    await booking.getByRole('button', { name: 'Save' }).click()
    await expect(booking).toBeHidden()
    await page
      .getByRole('button', { name: /^Move appointment/ })
      .first()
      .click()
    const moving = page.getByRole('dialog', { name: 'Move appointment' })
    await expect(moving.getByLabel('Starts')).toBeVisible()
    await moving.getByRole('button', { name: 'Cancel' }).click()
    await check('job, after changes')
    // For a person to look at: the renamed controls keep their visible words.
    await page.screenshot({ path: test.info().outputPath(`${size.name}-job.png`), fullPage: true })

    // An estimate: line items, create, edit, sign, make the invoice.
    await page.getByRole('link', { name: 'New estimate' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'New estimate' })).toBeVisible()
    const line1 = page.getByRole('group', { name: 'Line 1' })
    await line1.getByLabel('Description').fill('Valve')
    await line1.getByLabel('Quantity').fill('2')
    await line1.getByLabel('Unit price').fill('10.00')
    await page.getByRole('button', { name: 'Add line' }).click()
    const line2 = page.getByRole('group', { name: 'Line 2' })
    await expect(line2.getByLabel('Description')).toBeFocused()
    await line2.getByLabel('Description').fill('Labour')
    await line2.getByLabel('Unit price').fill('50')
    await page.getByLabel('Tax rate (%)').fill('10')
    await check('new estimate')
    await page.getByRole('button', { name: 'Create estimate' }).click()
    await expect(page.getByRole('heading', { level: 1, name: /^Estimate / })).toBeVisible()
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Approved' })
    await page.getByRole('button', { name: 'Save changes' }).click()
    await check('estimate')
    await page.getByRole('button', { name: 'Sign estimate' }).click()
    const signEstimate = page.getByRole('dialog', { name: /^Sign estimate/ })
    await signEstimate.getByRole('textbox', { name: "Signer's name" }).fill('Pat Customer')
    await signEstimate.getByRole('button', { name: 'Sign with typed name' }).click()
    await check('sign estimate sheet')
    await signEstimate.getByRole('button', { name: 'Save signature' }).click()
    await expect(signEstimate).toBeHidden()
    await page.getByRole('button', { name: 'Make invoice' }).click()
    await expect(page.getByRole('heading', { level: 1, name: /^Invoice / })).toBeVisible()

    // Payments on the invoice: check with its number.
    await page.getByRole('radio', { name: 'Check' }).check()
    await page.getByLabel('Amount').fill('20.00')
    await page.getByLabel('Check number').fill('1001')
    await check('invoice')
    await page.getByRole('button', { name: 'Record payment' }).click()
    await expect(page.getByText('Check #1001')).toBeVisible()

    // Back to the job: a signature on the work.
    await page.getByRole('link', { name: 'Back' }).click()
    await expect(page).toHaveURL(jobUrl)
    await expect(page.getByRole('link', { name: /^Estimate / }).first()).toBeVisible()
    await expect(page.getByRole('link', { name: /^Invoice / }).first()).toBeVisible()
    await page
      .getByRole('combobox', { name: 'What is signed' })
      .selectOption({ label: 'The work on this job' })
    await page.getByRole('button', { name: 'Collect signature' }).click()
    const sign = page.getByRole('dialog', { name: 'Sign here' })
    await expect(sign.getByRole('img', { name: 'Signature box: empty' })).toBeVisible()
    await sign.getByRole('textbox', { name: "Signer's name" }).fill('Pat Customer')
    await sign.getByRole('button', { name: 'Sign with typed name' }).click()
    await sign.getByRole('button', { name: 'Save signature' }).click()
    await expect(page.getByRole('img', { name: 'Signature of Pat Customer' }).first()).toBeVisible()

    // Going offline: the alert, a note saved offline shows Queued, the pill counts it.
    await context.setOffline(true)
    await expect(page.getByRole('alert').filter({ hasText: "You're offline." })).toBeVisible()
    await expect(page.getByRole('link', { name: /^Offline/ })).toBeVisible()
    await check('job, offline')
    await page.getByRole('textbox', { name: 'New note' }).fill('Walked by name: offline note')
    await page.getByRole('button', { name: 'Save note' }).click()
    const offlineNote = page
      .getByRole('listitem')
      .filter({ hasText: 'Walked by name: offline note' })
    await expect(offlineNote.getByText('Queued')).toBeVisible()
    await expect(page.getByRole('link', { name: /^Offline \d+ waiting to upload$/ })).toBeVisible()
    // A photo offline is refused, and the technician is told why (Offline Photos off by default).
    await page
      .getByLabel('Take photo')
      .setInputFiles({ name: 'off.png', mimeType: 'image/png', buffer: makePng(32, 32) })
    await expect(page.getByText(/Offline Photos Enabled/).first()).toBeVisible()
    await check('job, offline with a queued note')
    await page.screenshot({ path: test.info().outputPath(`${size.name}-job-offline.png`) })
    await page.getByRole('button', { name: 'Dismiss the offline alert' }).click()

    // Settings (the gear, bottom right) → Offline Settings.
    await main.getByRole('link', { name: 'Settings' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible()
    await check('settings, offline')
    await page.getByRole('link', { name: 'Offline Settings' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Offline Settings' })).toBeVisible()
    await expect(page.getByRole('switch', { name: 'Offline Enabled' })).toBeChecked()
    await expect(page.getByRole('switch', { name: 'Offline Photos Enabled' })).not.toBeChecked()
    await expect(page.getByRole('switch', { name: 'Download Photos Over WiFi' })).toBeChecked()
    await expect(page.getByRole('button', { name: /Pre-load/ })).toBeDisabled()
    await expect(page.getByRole('button', { name: 'Clear local data' })).toBeVisible()
    await check('offline settings, offline')
    await page.getByRole('link', { name: 'Back' }).click()

    // Settings → Offline Actions: the queued note, Queued in words.
    await page.getByRole('link', { name: 'Offline Actions' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Offline Actions' })).toBeVisible()
    const queued = page.getByRole('listitem').filter({ hasText: 'Walked by name: offline note' })
    await expect(
      queued.getByText('Waiting for signal').or(queued.getByText('Queued')),
    ).toBeVisible()
    await check('offline actions, offline')

    // Back online: it uploads by itself; "All caught up".
    await context.setOffline(false)
    await expect(page.getByRole('heading', { name: 'All caught up' })).toBeVisible({
      timeout: 30_000,
    })
    await check('offline actions, caught up')
    await page.getByRole('link', { name: 'Back' }).click()
    await page.getByRole('link', { name: 'Offline Settings' }).click()
    await expect(page.getByRole('button', { name: 'Pre-load' })).toBeEnabled()
    await check('offline settings, online')

    // Jobs list.
    await main.getByRole('link', { name: 'Jobs' }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible()
    await check('jobs')

    expect(problems, listed(problems)).toEqual([])
  })
}

function listed(problems: NameProblem[]): string {
  return problems.map((p) => `${p.screen}: ${p.control} ${p.problem}`).join('\n')
}

// The check itself can fail: each defect it looks for, on a page made to have it.
base('the name check finds each kind of naming defect', async ({ page }) => {
  await page.setContent(`
    <button aria-label="Button"><svg width="24" height="24"></svg></button>
    <button aria-label="Remove">Delete line</button>
    <button>Save</button><button>Save</button>
    <a href="#a">Open</a><a href="#b">Open</a>
    <input placeholder="Search jobs">
    <label>Amount <input></label>
    <a href="#c">Fine <span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)">and hidden</span></a>
  `)
  const found = (await checkNames(page, 'made')).map((p) => `${p.control} ${p.problem}`)
  expect(found).toEqual([
    'button "Button" (button[Button]) icon-only with a vague name',
    'button "Remove" (button[Remove]) name does not contain its visible text "Delete line"',
    'textbox "Search jobs" (input) is named only by its placeholder',
    'link "open" one name, 2 destinations: #a, #b',
    'button "save" 2 buttons share it',
  ])
})
