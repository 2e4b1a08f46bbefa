import type { Page } from '@playwright/test'
import type { FormField, LineItem } from '../../protocol/entities'
import { deviceJob, expectDeviceMatchesServer, serverJob } from './support/actions'
import {
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  signIn,
  test,
  waitForTodaysVisits,
  withoutBackgroundSync,
} from './support/fixtures'

test.describe.configure({ timeout: 180_000 })

/**
 * Conflicts that lose nothing on either side (issue 14), as a technician and the office meet
 * them on one job: the technician edits offline while the office edits through its API; on
 * reconnecting, whatever did not clash is merged at once and only true clashes wait for a
 * choice, made per clash. Each case ends with the device's copy of the job equal to the
 * server's, field by field (after a pull).
 */
for (const variant of ['Chrome (Background Sync)', 'Safari (no Background Sync)'] as const) {
  test(`${variant}: per-field merge and resolution of job details, estimate lines and form answers`, async ({
    page,
    context,
    server,
  }) => {
    if (variant.startsWith('Safari')) await withoutBackgroundSync(context)
    await signIn(page)
    await waitForTodaysVisits(page)
    const jobId = await openFirstJobToday(page)
    const office = await apiAs(server, DISPATCHER)
    const pull = async () => {
      await page.getByTestId('refresh').first().click()
      await expect(page.getByTestId('refresh').first()).toBeEnabled()
    }
    const offlineActions = async () => {
      await page.goto('/#/settings/actions')
      return page.getByTestId('conflict')
    }

    // 1. Job details. The technician changes title and description; the office changes the
    // description and the status. Only the description clashes: the title goes to the server
    // at once, the status stays the office's; "Use office's" takes the office's description
    // and keeps the technician's title.
    await context.setOffline(true)
    await page.getByRole('button', { name: 'Edit job details' }).click()
    await page.getByLabel('Title').fill('Title from the field')
    await page.getByLabel('Description').fill('Description from the field')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, {
      description: 'Description from the office',
      status: 'on_hold',
    })
    await context.setOffline(false)
    await expect(page.getByTestId('needs-you')).toHaveText('1 needs you', { timeout: 20_000 })
    // The CONFLICT mark on the job links straight to the choice.
    await page.getByRole('link', { name: 'Conflict' }).click()
    await expect(page).toHaveURL(/#\/settings\/actions\/\d+$/)
    const conflict = page.getByTestId('conflict')
    await expect(conflict.getByTestId('clash')).toHaveCount(1)
    await expect(conflict).toContainText('Description')
    await expect(conflict).toContainText('Office:Description from the office')
    await expect(conflict).toContainText('You:Description from the field')
    expect((await serverJob(server, jobId)).job).toMatchObject({
      title: 'Title from the field',
      description: 'Description from the office',
      status: 'on_hold',
    })
    await shoot(page, 'conflict-job')
    await conflict.getByRole('button', { name: "Use office's" }).click()
    let truth = await expectDeviceMatchesServer(page, server, jobId)
    expect(truth.job).toMatchObject({
      title: 'Title from the field',
      description: 'Description from the office',
      status: 'on_hold',
    })

    // 2. Estimate lines, no clash. The office sets two known lines (online, pulled), then the
    // technician changes line 1's price offline while the office changes line 2's quantity 3→4.
    const estimate = truth.estimates[0] as { id: string; lineItems: LineItem[] }
    const [l1, l2] = [
      {
        id: estimate.lineItems[0]?.id as string,
        description: 'Diagnostic',
        quantity: 1,
        unitPriceCents: 9_500,
      },
      { id: crypto.randomUUID(), description: 'Air filter', quantity: 3, unitPriceCents: 2_400 },
    ]
    await office.send('PATCH', `/api/dispatch/estimates/${estimate.id}`, { lineItems: [l1, l2] })
    await pull()
    await expect
      .poll(
        async () =>
          (await deviceJob(page, jobId)).estimates.find((e) => e.id === estimate.id)?.lineItems,
      )
      .toEqual([l1, l2])
    await page.goto(`/#/job/${jobId}/estimate/${estimate.id}`)
    const rows = page.getByTestId('line-item')
    await expect(rows).toHaveCount(2)
    await expect(rows.nth(1).getByLabel('Description')).toHaveValue('Air filter')
    await context.setOffline(true)
    await rows.nth(0).getByLabel('Unit price').fill('120.00')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await office.send('PATCH', `/api/dispatch/estimates/${estimate.id}`, {
      lineItems: [l1, { ...l2, quantity: 4 }],
    })
    await context.setOffline(false)
    truth = await expectDeviceMatchesServer(page, server, jobId)
    expect(truth.estimates.find((e) => e.id === estimate.id)?.lineItems).toEqual([
      { ...l1, unitPriceCents: 12_000 },
      { ...l2, quantity: 4 },
    ])

    // 3. A line deleted on one side and edited on the other: a clash on that line; Keep mine
    // deletes it on the server.
    await page.goto(`/#/job/${jobId}/estimate/${estimate.id}`)
    await expect(rows).toHaveCount(2)
    await context.setOffline(true)
    await rows.nth(1).getByRole('button', { name: 'Remove line 2' }).click()
    // The last line gone, the keyboard is on "+ Add line", not lost on the page.
    await expect(page.getByRole('button', { name: '+ Add line' })).toBeFocused()
    await page.getByRole('button', { name: 'Save changes' }).click()
    await office.send('PATCH', `/api/dispatch/estimates/${estimate.id}`, {
      lineItems: [
        { ...l1, unitPriceCents: 12_000 },
        { ...l2, quantity: 4, description: 'Air filter, pleated' },
      ],
    })
    await context.setOffline(false)
    await offlineActions()
    await expect(conflict.getByTestId('clash')).toHaveCount(1, { timeout: 20_000 })
    await expect(conflict).toContainText('Line “Air filter”')
    await expect(conflict).toContainText('Office:Air filter, pleated, 4 × $24.00')
    await expect(conflict).toContainText('You:Deleted')
    await shoot(page, 'conflict-line')
    await conflict.getByRole('button', { name: 'Keep mine' }).click()
    truth = await expectDeviceMatchesServer(page, server, jobId)
    expect(truth.estimates.find((e) => e.id === estimate.id)?.lineItems).toEqual([
      { ...l1, unitPriceCents: 12_000 },
    ])

    // 4. Form answers, per question. The technician answers three questions; the office changes
    // two of them. Two clashes, chosen one by one: the office's for the first, the technician's
    // for the second; the third (no clash) was saved at once.
    const form = truth.form as { id: string; fields: FormField[]; answers: Record<string, unknown> }
    const [q1, q2, q3] = form.fields.filter((f) => f.type === 'text' || f.type === 'number')
    if (!q1 || !q2 || !q3)
      test.skip(true, 'the seed form has fewer than three text/number questions')
    const answer = (f: FormField, n: number) => (f.type === 'number' ? String(n) : `Field ${n}`)
    const value = (f: FormField, n: number) => (f.type === 'number' ? n : `Field ${n}`)
    await page.goto(`/#/job/${jobId}`)
    const card = page.getByTestId('job-form')
    await context.setOffline(true)
    for (const [i, q] of [q1, q2, q3].entries()) {
      await card.getByLabel((q as FormField).label).fill(answer(q as FormField, 11 + i))
    }
    await card.getByRole('button', { name: 'Save answers' }).click()
    await office.send('PATCH', `/api/dispatch/forms/${form.id}`, {
      answers: {
        [(q1 as FormField).id]: value(q1 as FormField, 91),
        [(q2 as FormField).id]: value(q2 as FormField, 92),
      },
    })
    await context.setOffline(false)
    await offlineActions()
    const clashes = conflict.getByTestId('clash')
    await expect(clashes).toHaveCount(2, { timeout: 20_000 })
    await expect(clashes.nth(0)).toContainText((q1 as FormField).label)
    await shoot(page, 'conflict-form')
    await clashes
      .nth(0)
      .getByRole('radio', { name: /^Office:/ })
      .check()
    await clashes.nth(1).getByRole('radio', { name: /^You:/ }).check()
    await conflict.getByRole('button', { name: 'Save choices' }).click()
    truth = await expectDeviceMatchesServer(page, server, jobId)
    expect(truth.form?.answers).toMatchObject({
      [(q1 as FormField).id]: value(q1 as FormField, 91),
      [(q2 as FormField).id]: value(q2 as FormField, 12),
      [(q3 as FormField).id]: value(q3 as FormField, 13),
    })
    expect((await deviceJob(page, jobId)).outbox).toEqual([])
  })
}

/** Screenshots of the conflict card at phone size and tablet/desktop width, to look at. */
async function shoot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()
  await page.screenshot({ path: test.info().outputPath(`${name}-390.png`), fullPage: true })
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.screenshot({ path: test.info().outputPath(`${name}-1280.png`), fullPage: true })
  if (size) await page.setViewportSize(size)
}
