import {
  appliedCounts,
  deviceJob,
  downloadAs,
  enableOfflinePhotos,
  expectDeviceMatchesServer,
  fillLines,
  makePdf,
  pushed,
  recordWire,
  sign,
  waitForDoc,
} from './support/actions'
import {
  addNote,
  expect,
  openFirstJobToday,
  signIn,
  TECH,
  test,
  waitForTodaysVisits,
} from './support/fixtures'
import { localInput } from './support/localTime'
import { jpegSize, makePng } from './support/png'

/**
 * Every "create" action of issue 4, made in airplane mode on the rich job, then one reconnect:
 * each shows at once, the server applies each exactly once, and after the next pull the device
 * holds exactly what the server holds.
 */
test('create offline: note, photo, PDF, label, signatures, appointment, estimate, invoice, payments', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(180_000)
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  await enableOfflinePhotos(page)
  const before = appliedCounts(server)
  // The job screen loads its code on first use: count once its photos are on screen.
  await expect(page.getByTestId('photo').first()).toBeVisible()
  await expect(page.getByTestId('pdf').first()).toBeVisible()
  const photosBefore = await page.getByTestId('photo').count()
  const pdfsBefore = await page.getByTestId('pdf').count()

  await context.setOffline(true)
  await expect(page.getByTestId('offline-alert')).toBeVisible()

  // Note.
  await addNote(page, 'Shut-off valve seized; freed it with penetrating oil')

  // Photo from the camera / file picker: a 3000×2000 PNG.
  await page.getByTestId('photo-input').setInputFiles({
    name: 'valve.png',
    mimeType: 'image/png',
    buffer: makePng(3000, 2000),
  })
  await expect(page.getByTestId('photo')).toHaveCount(photosBefore + 1)
  await expect(page.getByTestId('photo').filter({ hasText: 'valve.png' })).toContainText('Queued')

  // PDF.
  await page.getByTestId('pdf-input').setInputFiles({
    name: 'warranty.pdf',
    mimeType: 'application/pdf',
    buffer: makePdf('warranty card'),
  })
  await expect(page.getByTestId('pdf')).toHaveCount(pdfsBefore + 1)

  // A new label, applied to the job.
  await page.getByRole('button', { name: 'Add label' }).click()
  await page.getByLabel('New label').fill('Needs ladder')
  await page.getByRole('button', { name: 'Blue' }).click()
  await page.getByRole('button', { name: 'Create and add' }).click()
  await expect(page.getByTestId('job-labels')).toContainText('Needs ladder')

  // Signature on the job (work done).
  await page.getByRole('button', { name: 'Collect signature' }).click()
  await sign(page, 'Pat Homeowner')
  await expect(page.getByTestId('signature').filter({ hasText: 'Pat Homeowner' })).toBeVisible()

  // Appointment: a follow-up tomorrow 09:00–10:30.
  const start = new Date()
  start.setDate(start.getDate() + 1)
  start.setHours(9, 0, 0, 0)
  const end = new Date(start.getTime() + 90 * 60_000)
  const apptRows = page.getByTestId('appointments-of-job').locator('li')
  await expect(apptRows.first()).toBeVisible()
  const apptsBefore = await apptRows.count()
  await page.getByRole('button', { name: 'New appointment' }).click()
  await page.getByLabel('Starts').fill(localInput(start))
  await page.getByLabel('Ends').fill(localInput(end))
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(apptRows).toHaveCount(apptsBefore + 1)

  // Cash payment on the seeded invoice (it has a partial payment).
  await page.getByTestId('invoice').first().click()
  const seededInvoiceId = await waitForDoc(page, 'invoice')
  const payments = page.getByTestId('payments')
  await expect(page.getByTestId('payment').first()).toBeVisible()
  const paidBefore = await page.getByTestId('payment').count()
  await payments.getByText('Cash', { exact: true }).click()
  await payments.getByLabel('Amount').fill('12.34')
  await payments.getByRole('button', { name: 'Record payment' }).click()
  await expect(page.getByTestId('payment')).toHaveCount(paidBefore + 1)

  // Estimate: two lines, 8.25 % tax.
  await page.goto(`/#/job/${jobId}/estimate/new`)
  await fillLines(
    page,
    [
      { description: 'Replace shut-off valve', quantity: '1', price: '89.50' },
      { description: 'Labour (h)', quantity: '1.5', price: '95.00' },
    ],
    '8.25',
  )
  await page.getByRole('button', { name: 'Create estimate' }).click()
  const estimateId = await waitForDoc(page, 'estimate')

  // Invoice (not from the estimate), then a check and an "other" payment on it, and a signature.
  await page.goto(`/#/job/${jobId}/invoice/new`)
  await fillLines(page, [{ description: 'Service call', quantity: '1', price: '120.00' }], '0')
  await page.getByRole('button', { name: 'Create invoice' }).click()
  const invoiceId = await waitForDoc(page, 'invoice')
  await expect(page.getByTestId('balance')).toHaveText('$120.00')
  await payments.getByText('Check', { exact: true }).click()
  await payments.getByLabel('Amount').fill('50')
  await payments.getByLabel('Check number').fill('1042')
  await payments.getByRole('button', { name: 'Record payment' }).click()
  await expect(page.getByTestId('balance')).toHaveText('$70.00')
  await payments.getByText('Other', { exact: true }).click()
  await payments.getByLabel('Amount').fill('20.00')
  await payments.getByLabel('Reference').fill('Venmo 8812')
  await payments.getByRole('button', { name: 'Record payment' }).click()
  await expect(page.getByTestId('balance')).toHaveText('$50.00')
  await page.getByRole('button', { name: 'Sign invoice' }).click()
  await sign(page, 'Pat Homeowner')

  // Everything is queued, nothing reached the server.
  const queued = (await deviceJob(page, jobId)).outbox as Array<{
    name: string
    args: Record<string, unknown>
  }>
  expect(queued.map((e) => e.name)).toEqual([
    'note.add',
    'attachment.add',
    'attachment.add',
    'label.create',
    'job.addLabel',
    'signature.add',
    'appointment.create',
    'payment.add',
    'estimate.create',
    'invoice.create',
    'payment.add',
    'payment.add',
    'signature.add',
  ])
  expect(appliedCounts(server)).toEqual(before)

  const wire = await recordWire(context)
  await context.setOffline(false)
  const truth = await expectDeviceMatchesServer(page, server, jobId)

  // Exactly once: each action applied once, each in the order it was made.
  const delta = Object.fromEntries(
    Object.entries(appliedCounts(server)).map(([k, n]) => [k, n - (before[k] ?? 0)]),
  )
  expect(delta).toEqual({
    'note.add': 1,
    'attachment.add': 2,
    'label.create': 1,
    'job.addLabel': 1,
    'signature.add': 2,
    'appointment.create': 1,
    'payment.add': 3,
    'estimate.create': 1,
    'invoice.create': 1,
  })
  expect(pushed(wire).map((m) => m.name)).toEqual(queued.map((e) => e.name))
  const order = server.sql<{ name: string }>(
    "SELECT name FROM processed_mutations WHERE status = 'applied' ORDER BY seq",
  )
  expect(order.map((r) => r.name)).toEqual(queued.map((e) => e.name))

  // Each action's result, row by row.
  const args = (name: string, i = 0) => queued.filter((e) => e.name === name)[i]?.args ?? {}
  expect(truth.notes.map((n) => n.body)).toContain(
    'Shut-off valve seized; freed it with penetrating oil',
  )
  const photo = truth.attachments.find((a) => a.id === args('attachment.add').id)
  expect(photo).toMatchObject({ kind: 'photo', mimeType: 'image/jpeg', filename: 'valve.png' })
  const file = await downloadAs(server, TECH, `/api/attachments/${photo?.id}/file`)
  expect(file.status).toBe(200)
  expect(file.type).toContain('image/jpeg')
  const size = jpegSize(file.bytes)
  expect(Math.max(size.width, size.height)).toBeLessThanOrEqual(2048)
  expect(size).toEqual({ width: 2048, height: 1365 })
  const { createHash } = await import('node:crypto')
  expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(photo?.sha256)
  expect(file.bytes.length).toBe(photo?.size)
  const pdf = truth.attachments.find((a) => a.id === args('attachment.add', 1).id)
  expect(pdf).toMatchObject({ kind: 'pdf', mimeType: 'application/pdf', filename: 'warranty.pdf' })
  const pdfFile = await downloadAs(server, TECH, `/api/attachments/${pdf?.id}/file`)
  expect(pdfFile.bytes.equals(makePdf('warranty card'))).toBe(true)

  const label = truth.labels.find((l) => l.id === args('label.create').id)
  expect(label).toMatchObject({ name: 'Needs ladder', color: '#2563eb' })
  expect(truth.job.labelIds).toContain(label?.id)

  expect(truth.signatures.find((s) => s.id === args('signature.add').id)).toMatchObject({
    subjectType: 'job',
    subjectId: jobId,
    signerName: 'Pat Homeowner',
  })
  expect(truth.signatures.find((s) => s.id === args('signature.add', 1).id)).toMatchObject({
    subjectType: 'invoice',
    subjectId: invoiceId,
  })
  expect(String(args('signature.add').image)).toMatch(/^data:image\/png;base64,/)

  expect(truth.appointments.find((a) => a.id === args('appointment.create').id)).toMatchObject({
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
    status: 'scheduled',
  })

  expect(truth.estimates.find((e) => e.id === estimateId)).toMatchObject({
    status: 'draft',
    taxRateBps: 825,
    lineItems: [
      { description: 'Replace shut-off valve', quantity: 1, unitPriceCents: 8950 },
      { description: 'Labour (h)', quantity: 1.5, unitPriceCents: 9500 },
    ],
  })
  const invoice = truth.invoices.find((i) => i.id === invoiceId)
  expect(invoice).toMatchObject({
    estimateId: null,
    taxRateBps: 0,
    lineItems: [{ description: 'Service call', quantity: 1, unitPriceCents: 12000 }],
    balanceCents: 5000,
  })
  const paymentsOf = (id: string) =>
    truth.payments
      .filter((p) => p.invoiceId === id)
      .map((p) => ({ method: p.method, amountCents: p.amountCents, reference: p.reference }))
  expect(paymentsOf(invoiceId)).toEqual(
    expect.arrayContaining([
      { method: 'check', amountCents: 5000, reference: '1042' },
      { method: 'other', amountCents: 2000, reference: 'Venmo 8812' },
    ]),
  )
  expect(paymentsOf(seededInvoiceId)).toContainEqual({
    method: 'cash',
    amountCents: 1234,
    reference: null,
  })

  // The screen now shows the server's balance of the new invoice, with nothing pending.
  await page.goto(`/#/job/${jobId}/invoice/${invoiceId}`)
  await expect(page.getByTestId('balance')).toHaveText('$50.00')
  await expect(page.getByTestId('doc-editor')).not.toContainText('Queued')
})
