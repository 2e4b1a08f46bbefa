import {
  appliedCounts,
  deviceJob,
  expectDeviceMatchesServer,
  pushed,
  recordWire,
  serverJob,
  waitForDoc,
} from './support/actions'
import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'
import { localInput } from './support/localTime'

interface FormField {
  id: string
  label: string
  type: string
}

/**
 * Every "edit" action of issue 4, offline on the rich job, then one reconnect. Repeated edits
 * of the same thing fold into one upload; different actions keep their order; each edit carries
 * the version and the base values it was made on; the server ends with each edit applied once.
 */
test('edit offline: job details, appointment time, estimate, invoice, form answers, labels', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(180_000)
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const office = await serverJob(server, jobId)
  const before = appliedCounts(server)
  const job0 = office.job
  const appt0 = office.appointments[0] as {
    id: string
    startsAt: string
    endsAt: string
    version: number
  }
  const est0 = office.estimates[0] as {
    id: string
    lineItems: unknown[]
    status: string
    version: number
  }
  const inv0 = office.invoices[0] as unknown as {
    id: string
    lineItems: unknown[]
    version: number
  }
  const form0 = office.form as {
    id: string
    version: number
    fields: FormField[]
    answers: Record<string, unknown>
  }
  const onJob = office.labels as Array<{ id: string; name: string }>
  expect(onJob.length).toBeGreaterThan(0)
  const removed = onJob[0] as { id: string; name: string }

  await context.setOffline(true)

  // Job details, edited twice in a row: one upload with the first edit's base.
  await page.getByRole('button', { name: 'Edit job details' }).click()
  await page.getByLabel('Title').fill('Water heater — first try')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByTestId('job-title')).toHaveText('Water heater — first try')
  await page.getByRole('button', { name: 'Edit job details' }).click()
  await page.getByLabel('Title').fill('Replace water heater (50 gal)')
  await page.getByLabel('Description').fill('Old tank leaking at the base. Customer approved.')
  await page.getByLabel('Status').selectOption('in_progress')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByTestId('job-title')).toHaveText('Replace water heater (50 gal)')
  await expect(page.getByTestId('job-status')).toHaveText('In progress')
  await expect(page.getByTestId('job-description')).toHaveText(
    'Old tank leaking at the base. Customer approved.',
  )

  // Appointment moved twice: one upload.
  const day = new Date(appt0.startsAt)
  day.setDate(day.getDate() + 2)
  day.setHours(13, 0, 0, 0)
  const moveTo = async (start: Date, minutes: number) => {
    await page
      .getByTestId('appointments-of-job')
      .locator('li')
      .filter({ has: page.getByRole('button', { name: 'Move' }) })
      .first()
      .getByRole('button', { name: 'Move' })
      .click()
    await page.getByLabel('Starts').fill(localInput(start))
    await page.getByLabel('Ends').fill(localInput(new Date(start.getTime() + minutes * 60_000)))
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByLabel('Starts')).toHaveCount(0)
  }
  await moveTo(new Date(day.getTime() - 3_600_000), 60)
  await moveTo(day, 120)
  const apptEnd = new Date(day.getTime() + 120 * 60_000)

  // Form answers, saved twice: one upload with both answers and both old values.
  const text = form0.fields.find((f) => f.type === 'text') as FormField
  const num = form0.fields.find((f) => f.type === 'number') as FormField
  const form = page.getByTestId('job-form')
  await form.getByLabel(text.label).fill('Anode rod gone; flushed sediment')
  await form.getByRole('button', { name: 'Save answers' }).click()
  await expect(form).toContainText('Queued')
  await form.getByLabel(num.label).fill('62.5')
  await form.getByRole('button', { name: 'Save answers' }).click()

  // Labels: remove one, add an existing one.
  await page.getByRole('button', { name: `Remove label ${removed.name}` }).click()
  await expect(page.getByTestId('job-labels')).not.toContainText(removed.name)
  await page.getByRole('button', { name: 'Add label' }).click()
  const pickable = page.locator('.chip-pick').filter({ hasNotText: removed.name })
  const addedName = (await pickable.first().textContent())?.trim() ?? ''
  await pickable.first().click()
  await expect(page.getByTestId('job-labels')).toContainText(addedName)

  // Estimate: change a price, add a line, mark it sent (the seed's is approved).
  await page.getByTestId('estimate').first().click()
  expect(await waitForDoc(page, 'estimate')).toBe(est0.id)
  const estLines = est0.lineItems.length
  await page.getByTestId('line-item').first().getByLabel('Unit price').fill('199.99')
  await page.getByRole('button', { name: '+ Add line' }).click()
  const newLine = page.getByTestId('line-item').nth(estLines)
  // The new line is a group named by its number, and typing goes straight into its Description.
  await expect(newLine.getByRole('group', { name: `Line ${estLines + 1}` })).toBeVisible()
  await expect(newLine.getByLabel('Description')).toBeFocused()
  await page.keyboard.type('Disposal of old unit')
  await expect(newLine.getByLabel('Description')).toHaveValue('Disposal of old unit')
  await newLine.getByLabel('Unit price').fill('45.00')
  await page.getByLabel('Status').selectOption('sent')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByTestId('doc-editor')).toContainText('Queued')

  // Invoice: one more line.
  await page.goto(`/#/job/${jobId}`)
  await page.getByTestId('invoice').first().click()
  expect(await waitForDoc(page, 'invoice')).toBe(inv0.id)
  await page.getByRole('button', { name: '+ Add line' }).click()
  const invRows = page.getByTestId('line-item')
  const last = invRows.nth(inv0.lineItems.length)
  await last.getByLabel('Description').fill('Expansion tank')
  await last.getByLabel('Quantity').fill('2')
  await last.getByLabel('Unit price').fill('38.25')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByTestId('doc-editor')).toContainText('Queued')

  // The job's status once more, after other actions: NOT folded into the first job edit.
  await page.goto(`/#/job/${jobId}`)
  await page.getByRole('button', { name: 'Edit job details' }).click()
  await page.getByLabel('Status').selectOption('on_hold')
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByTestId('job-status')).toHaveText('On hold')

  const queued = (await deviceJob(page, jobId)).outbox as Array<{
    name: string
    args: Record<string, unknown>
  }>
  expect(queued.map((e) => e.name)).toEqual([
    'job.update',
    'appointment.reschedule',
    'jobForm.answer',
    'job.removeLabel',
    'job.addLabel',
    'estimate.update',
    'invoice.update',
    'job.update',
  ])

  const wire = await recordWire(context)
  await context.setOffline(false)
  const truth = await expectDeviceMatchesServer(page, server, jobId)

  // 12 taps, 8 uploads, in the order made.
  const sent = pushed(wire)
  expect(sent.map((m) => m.name)).toEqual(queued.map((e) => e.name))
  const delta = Object.fromEntries(
    Object.entries(appliedCounts(server)).map(([k, n]) => [k, n - (before[k] ?? 0)]),
  )
  expect(delta).toEqual({
    'job.update': 2,
    'appointment.reschedule': 1,
    'jobForm.answer': 1,
    'job.removeLabel': 1,
    'job.addLabel': 1,
    'estimate.update': 1,
    'invoice.update': 1,
  })

  // Each edit carries the version and the values it was made on.
  const [jobEdit, reschedule, answer, , , estEdit, invEdit, jobEdit2] = sent.map((m) => m.args)
  expect(jobEdit).toEqual({
    jobId,
    baseVersion: job0.version,
    changes: {
      title: 'Replace water heater (50 gal)',
      description: 'Old tank leaking at the base. Customer approved.',
      status: 'in_progress',
    },
    base: { title: job0.title, description: job0.description, status: job0.status },
  })
  expect(reschedule).toEqual({
    appointmentId: appt0.id,
    baseVersion: appt0.version,
    startsAt: day.toISOString(),
    endsAt: apptEnd.toISOString(),
    base: { startsAt: appt0.startsAt, endsAt: appt0.endsAt },
  })
  expect(answer).toEqual({
    formId: form0.id,
    baseVersion: form0.version,
    answers: { [text.id]: 'Anode rod gone; flushed sediment', [num.id]: 62.5 },
    base: { [text.id]: form0.answers[text.id] ?? null, [num.id]: form0.answers[num.id] ?? null },
  })
  expect(estEdit).toMatchObject({
    estimateId: est0.id,
    baseVersion: est0.version,
    base: { lineItems: est0.lineItems, status: est0.status },
    changes: { status: 'sent' },
  })
  expect(invEdit).toMatchObject({
    invoiceId: inv0.id,
    baseVersion: inv0.version,
    base: { lineItems: inv0.lineItems },
  })
  // The second job edit was made on the device's view (the first edit still unsent): its
  // base is the device's value, its version the one the device saw.
  expect(jobEdit2).toEqual({
    jobId,
    baseVersion: job0.version,
    changes: { status: 'on_hold' },
    base: { status: 'in_progress' },
  })

  // The server's rows hold each edit.
  expect(truth.job).toMatchObject({
    title: 'Replace water heater (50 gal)',
    description: 'Old tank leaking at the base. Customer approved.',
    status: 'on_hold',
  })
  expect(truth.job.labelIds).not.toContain(removed.id)
  expect(truth.labels.map((l) => l.name)).toContain(addedName)
  expect(truth.appointments.find((a) => a.id === appt0.id)).toMatchObject({
    startsAt: day.toISOString(),
    endsAt: apptEnd.toISOString(),
  })
  expect(truth.form?.answers).toMatchObject({
    [text.id]: 'Anode rod gone; flushed sediment',
    [num.id]: 62.5,
  })
  const est = truth.estimates.find((e) => e.id === est0.id) as {
    status: string
    lineItems: Array<{ description: string; unitPriceCents: number }>
  }
  expect(est.status).toBe('sent')
  expect(est.lineItems).toHaveLength(estLines + 1)
  expect(est.lineItems[0]?.unitPriceCents).toBe(19999)
  expect(est.lineItems[estLines]).toMatchObject({
    description: 'Disposal of old unit',
    unitPriceCents: 4500,
  })
  const inv = truth.invoices.find((i) => i.id === inv0.id) as unknown as {
    lineItems: Array<{ description: string; quantity: number; unitPriceCents: number }>
  }
  expect(inv.lineItems).toHaveLength(inv0.lineItems.length + 1)
  expect(inv.lineItems.at(-1)).toMatchObject({
    description: 'Expansion tank',
    quantity: 2,
    unitPriceCents: 3825,
  })
})
