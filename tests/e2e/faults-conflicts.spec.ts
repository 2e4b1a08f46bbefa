import {
  addNote,
  apiAs,
  DISPATCHER,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

test.describe.configure({ timeout: 150_000 })

/**
 * The office edits through the dispatch API while the technician edits the same job offline:
 * different fields merge; the same field becomes a Conflict the technician resolves.
 */
test('conflicts: different fields merge; same field → Keep mine / Use office’s; appointment time', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const office = await apiAs(server, DISPATCHER)
  const job = () =>
    server.sql<{ title: string; description: string }>(
      'SELECT title, description FROM jobs WHERE id = ?',
      jobId,
    )[0]
  const editTitle = async (title: string) => {
    await page.getByRole('button', { name: 'Edit job details' }).click()
    await page.getByLabel('Title').fill(title)
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByTestId('job-title')).toHaveText(title)
  }
  const synced = async () => {
    await page.goto('/#/settings/actions')
    await expect(page.getByTestId('all-caught-up')).toBeVisible({ timeout: 20_000 })
  }

  // 1. Merge: I change the title, the office the description: both kept, no conflict.
  await context.setOffline(true)
  await editTitle('Title from the field')
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, {
    description: 'Description from the office',
  })
  await context.setOffline(false)
  await synced()
  expect(job()).toEqual({
    title: 'Title from the field',
    description: 'Description from the office',
  })

  // 2. Same field, Keep mine: my value is re-sent on top of the office's version.
  await page.goto(`/#/job/${jobId}`)
  await expect(page.getByTestId('job-title')).toHaveText('Title from the field')
  await context.setOffline(true)
  await editTitle('Mine wins')
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { title: 'Office tried' })
  await context.setOffline(false)
  await page.goto('/#/settings/actions')
  const conflict = page.getByTestId('conflict')
  await expect(conflict).toBeVisible({ timeout: 20_000 })
  await expect(conflict).toContainText('Office tried')
  await expect(conflict).toContainText('Mine wins')
  expect(job()?.title).toBe('Office tried')
  await page.getByRole('button', { name: 'Keep mine' }).click()
  await synced()
  expect(job()?.title).toBe('Mine wins')

  // 3. Same field, Use office's: my change is dropped and the office's value shows.
  await page.goto(`/#/job/${jobId}`)
  await expect(page.getByTestId('job-title')).toHaveText('Mine wins')
  await context.setOffline(true)
  await editTitle('Mine loses')
  await addNote(page, 'Note after the losing edit')
  await office.send('PATCH', `/api/dispatch/jobs/${jobId}`, { title: 'Office wins' })
  await context.setOffline(false)
  await page.goto('/#/settings/actions')
  await expect(conflict).toContainText('Office wins', { timeout: 20_000 })
  await page
    .getByRole('button', { name: 'Use office’s' })
    .or(page.getByRole('button', { name: "Use office's" }))
    .click()
  await synced()
  expect(job()?.title).toBe('Office wins')
  // The note made after the conflicting edit waited, then went.
  expect(serverNotes(server, jobId)).toContain('Note after the losing edit')
  await page.goto(`/#/job/${jobId}`)
  await expect(page.getByTestId('job-title')).toHaveText('Office wins')

  // 4. Appointment time: both moved it → Conflict; Keep mine puts mine on the server.
  const appt = server.sql<{ id: string; starts_at: string; ends_at: string }>(
    'SELECT id, starts_at, ends_at FROM appointments WHERE job_id = ? ORDER BY starts_at',
    jobId,
  )[0]
  if (!appt) throw new Error('no appointment')
  await context.setOffline(true)
  await page
    .getByRole('button', { name: /^Move appointment on / })
    .first()
    .click()
  const day = new Date(Date.now() + 2 * 86_400_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  const local = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`
  await page.getByLabel('Starts').fill(`${local}T14:00`)
  await page.getByLabel('Ends').fill(`${local}T15:30`)
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  const mine = await page.evaluate((l) => new Date(`${l}T14:00`).toISOString(), local)
  const officeStart = new Date(new Date(appt.starts_at).getTime() + 3_600_000).toISOString()
  const officeEnd = new Date(new Date(appt.ends_at).getTime() + 3_600_000).toISOString()
  await office.send('PATCH', `/api/dispatch/appointments/${appt.id}`, {
    startsAt: officeStart,
    endsAt: officeEnd,
  })
  await context.setOffline(false)
  await page.goto('/#/settings/actions')
  await expect(conflict).toBeVisible({ timeout: 20_000 })
  await page.getByRole('button', { name: 'Keep mine' }).click()
  await synced()
  const stored = server.sql<{ starts_at: string }>(
    'SELECT starts_at FROM appointments WHERE id = ?',
    appt.id,
  )[0]
  expect(new Date(stored?.starts_at ?? '').toISOString()).toBe(mine)
})

test('device out of space mid-action: the technician is told, what was saved before is intact', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const before = serverNotes(server, jobId)
  await context.setOffline(true)
  await addNote(page, 'Saved before the device filled up')

  // The device is full: IndexedDB refuses writes with QuotaExceededError, as it does on a
  // full phone. (Chromium's CDP Storage.overrideQuotaForOrigin is not enforced on writes this
  // small, so the refusal is injected at the IndexedDB API the app's Dexie calls.)
  await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: test-only switch on window
    const w = window as any
    w.__deviceFull = true
    for (const method of ['add', 'put'] as const) {
      const original = IDBObjectStore.prototype[method]
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: unknown[]) {
        if (w.__deviceFull && (this.name === 'notes' || this.name === 'outbox'))
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError')
        return (original as (...a: unknown[]) => IDBRequest).apply(this, args)
      } as never
    }
  })
  const big = `Long report ${'x'.repeat(9_900)}`
  await page.getByPlaceholder('Add a note…').fill(big)
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('toast').last()).toContainText('out of storage space')
  await expect(page.getByTestId('note').filter({ hasText: 'Long report' })).toHaveCount(0)
  await expect(page.getByTestId('note').filter({ hasText: 'Saved before' })).toBeVisible()
  await expect(page.getByTestId('pending-count')).toHaveText('1')

  // Space freed and back online: the earlier note uploads, once; the refused one never existed.
  await page.evaluate(() => {
    // biome-ignore lint/suspicious/noExplicitAny: test-only switch on window
    ;(window as any).__deviceFull = false
  })
  await context.setOffline(false)
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 20_000 })
  expect(serverNotes(server, jobId)).toEqual([...before, 'Saved before the device filled up'])
})
