import {
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

test('pre-load, then airplane mode: every kind of job data is readable from the device', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await expect(page.getByTestId('preload-ready')).toContainText('Ready to work offline', {
    timeout: 30_000,
  })
  const jobId = await openFirstJobToday(page)

  await context.setOffline(true)
  await page.goto('/')
  await page.goto(`/#/job/${jobId}`)
  await expect(page.getByTestId('job-title')).toBeVisible()
  // Customer with tap-to-call, labels, the job form, estimates, invoices, payments, signatures.
  await expect(page.getByTestId('customer').locator('a[href^="tel:"]').first()).toBeVisible()
  await expect(page.getByTestId('job-labels').locator('.chip').first()).toBeVisible()
  await expect(page.getByTestId('job-form').locator('label, legend').first()).toBeVisible()
  await expect(page.getByTestId('estimate').first()).toContainText('$')
  await expect(page.getByTestId('invoice').first()).toContainText('owed')
  await expect(page.getByTestId('signature').first().locator('img')).toBeVisible()
  await expect(page.locator('a[href*="maps"]').first()).toBeVisible()

  // A photo rendered from the Blob stored on the device.
  await page.getByTestId('photo').first().click()
  const full = page.getByTestId('photo-full')
  await expect(full).toBeVisible()
  expect(await full.getAttribute('src')).toMatch(/^blob:/)
  expect(await full.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0)
  await page.getByRole('button', { name: 'Close' }).click()

  // A PDF opens from the device too: a new tab on the stored bytes, which are a real PDF.
  await page.getByTestId('pdf').first().click()
  const open = page.getByTestId('open-pdf')
  await expect(open).toBeVisible()
  expect(await open.getAttribute('href')).toMatch(/^blob:/)
  const [tab] = await Promise.all([page.waitForEvent('popup'), open.click()])
  expect(tab.url()).toMatch(/^blob:/)
  await tab.close()
  const heads = await page.evaluate(async () => {
    const name = (await indexedDB.databases()).find((d) =>
      d.name?.startsWith('fieldline-user-'),
    )?.name
    const db = await new Promise<IDBDatabase>((resolve) => {
      const req = indexedDB.open(name as string)
      req.onsuccess = () => resolve(req.result)
    })
    const rows = await new Promise<Array<{ data: ArrayBuffer }>>((resolve) => {
      const r = db.transaction('files').objectStore('files').getAll()
      r.onsuccess = () => resolve(r.result)
    })
    return Promise.all(rows.map(async (r) => new TextDecoder().decode(r.data.slice(0, 5))))
  })
  expect(heads).toContain('%PDF-')
  await page.getByRole('button', { name: 'Close' }).click()

  // The invoice screen shows its payments and the balance, offline.
  await page.getByTestId('invoice').first().click()
  await expect(page.getByTestId('payment').first()).toBeVisible()
  await expect(page.getByTestId('balance')).toContainText('$')
})

test('a new appointment from the dispatcher shows after a refresh', async ({ page, server }) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const before = await page.getByTestId('visit').count()
  const jobId = await openFirstJobToday(page)
  const office = await apiAs(server, DISPATCHER)
  const start = new Date()
  start.setHours(18, 30, 0, 0)
  const end = new Date(start.getTime() + 3_600_000)
  await office.send('POST', '/api/dispatch/appointments', {
    jobId,
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
  })
  await page.goto('/#/')
  await page.getByTestId('refresh').click()
  await expect(page.getByTestId('visit')).toHaveCount(before + 1)
})

test('a job reassigned to another technician leaves the device after a pull, with the reason', async ({
  page,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const office = await apiAs(server, DISPATCHER)
  const sam = server.sql<{ id: string }>(
    "SELECT id FROM users WHERE email = 'sam@fieldline.test'",
  )[0]!.id
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { technicianId: sam })
  await page.getByTestId('refresh').click()
  await expect(page.getByTestId('job-missing')).toBeVisible()
  await expect(page.getByTestId('toast').first()).toContainText('reassigned')
  const left = await page.evaluate(async (id) => {
    const dbs = await indexedDB.databases()
    const name = dbs.find((d) => d.name?.startsWith('fieldline-user-'))?.name as string
    return new Promise<number>((resolve) => {
      const req = indexedDB.open(name)
      req.onsuccess = () => {
        const tx = req.result.transaction(['jobs', 'appointments', 'notes'])
        let n = 0
        const count = (store: string, key: 'id' | 'jobId') => {
          const r =
            key === 'id'
              ? tx.objectStore(store).count(id)
              : tx.objectStore(store).index('jobId').count(id)
          r.onsuccess = () => (n += r.result)
        }
        count('jobs', 'id')
        count('appointments', 'jobId')
        count('notes', 'jobId')
        tx.oncomplete = () => resolve(n)
      }
    })
  }, jobId)
  expect(left).toBe(0)
})

test('technicians sharing a tablet: the second sees none of the first one’s jobs, online or offline', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const alexTitles = await page.getByTestId('visit').allTextContents()
  await page.getByRole('link', { name: 'Settings' }).click()
  await page.getByTestId('sign-out').click()
  await expect(page.getByLabel('Email')).toBeVisible()
  await signIn(page, { email: 'sam@fieldline.test', password: 'fieldline', name: 'Sam Okafor' })
  await waitForTodaysVisits(page)
  const check = async () => {
    const samTitles = await page.getByTestId('visit').allTextContents()
    for (const t of alexTitles) expect(samTitles).not.toContain(t)
    const names = (await page.evaluate(() => indexedDB.databases())).map((d) => d.name)
    expect(names.filter((n) => n?.startsWith('fieldline-user-'))).toHaveLength(1)
  }
  await check()
  await context.setOffline(true)
  await page.reload()
  await waitForTodaysVisits(page)
  await check()
})
