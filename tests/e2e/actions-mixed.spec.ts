import { createHash } from 'node:crypto'
import {
  appliedCounts,
  deviceJob,
  downloadAs,
  enableOfflinePhotos,
  expectDeviceMatchesServer,
  fillLines,
  pushed,
  recordWire,
  serverJob,
  sign,
  waitForDoc,
} from './support/actions'
import {
  addNote,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  TECH,
  test,
  waitForTodaysVisits,
} from './support/fixtures'
import { localInput } from './support/localTime'
import { jpegSize, makePng } from './support/png'

/**
 * A whole offline visit: a new estimate, signed, invoiced, paid in cash; three big photos;
 * labels; the visit moved; the form filled; notes before and after the photos. One reconnect
 * replays it in order: every file goes on its own request just before its action, the small
 * actions made before a photo reach the server before that photo's upload even starts, the
 * actions that refer to things made offline need no id remapping, and the server ends with
 * exactly what the device shows.
 */
test('a mixed offline session replays in order; the server ends equal to the device', async ({
  page,
  context,
  server,
}) => {
  test.setTimeout(240_000)
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const office0 = await serverJob(server, jobId)
  const before = appliedCounts(server)
  await expect(page.getByTestId('photo').first()).toBeVisible()
  const photos0 = await page.getByTestId('photo').count()
  const pngs = [0, 40, 80].map((hue) => makePng(3000, 2000, hue))

  await context.setOffline(true)
  await expect(page.getByTestId('offline-alert')).toBeVisible()

  // Offline Photos Enabled is off by default: the photo is refused and the reason named…
  await page
    .getByTestId('photo-input')
    .setInputFiles({ name: 'refused.png', mimeType: 'image/png', buffer: pngs[0] as Buffer })
  await expect(page.getByTestId('toast').last()).toContainText('Offline Photos Enabled')
  await expect(page.getByTestId('photo')).toHaveCount(photos0)
  // …and once it is on (switched in Settings, still offline), photos are saved on the device.
  await enableOfflinePhotos(page)

  await addNote(page, 'Arrived; customer reports no hot water')

  // A new estimate, signed on the spot, invoiced, paid in cash.
  await page.goto(`/#/job/${jobId}/estimate/new`)
  await fillLines(
    page,
    [
      { description: '50 gal water heater', quantity: '1', price: '899.00' },
      { description: 'Install labour (h)', quantity: '2.5', price: '110.00' },
    ],
    '6.5',
  )
  await page.getByRole('button', { name: 'Create estimate' }).click()
  const estimateId = await waitForDoc(page, 'estimate')
  await page.getByRole('button', { name: 'Sign estimate' }).click()
  await sign(page, 'Jordan Lee')
  await page.getByRole('button', { name: 'Make invoice' }).click()
  const invoiceId = await waitForDoc(page, 'invoice')
  expect(invoiceId).not.toBe(estimateId)
  // 899.00 + 275.00 = 1174.00; tax 6.5 % = 76.31; total 1250.31.
  await expect(page.getByTestId('balance')).toHaveText('$1,250.31')
  const payments = page.getByTestId('payments')
  await payments.getByText('Cash', { exact: true }).click()
  await payments.getByLabel('Amount').fill('250.31')
  await payments.getByRole('button', { name: 'Record payment' }).click()
  await expect(page.getByTestId('balance')).toHaveText('$1,000.00')

  // Three photos, with a note before the last one.
  await page.goto(`/#/job/${jobId}`)
  for (const [i, png] of pngs.entries()) {
    if (i === 2) await addNote(page, 'Old tank drained')
    await page
      .getByTestId('photo-input')
      .setInputFiles({ name: `site-${i + 1}.png`, mimeType: 'image/png', buffer: png })
    await expect(page.getByTestId('photo')).toHaveCount(photos0 + i + 1)
  }

  // Labels: a new one, and one of the seed's removed.
  const removed = office0.labels[0] as { id: string; name: string }
  await page.getByRole('button', { name: 'Add label' }).click()
  await page.getByLabel('New label').fill('Permit needed')
  await page.getByRole('button', { name: 'Create and add' }).click()
  await expect(page.getByTestId('job-labels')).toContainText('Permit needed')
  await page.getByRole('button', { name: `Remove label ${removed.name}` }).click()
  await expect(page.getByTestId('job-labels')).not.toContainText(removed.name)

  // The visit moved to tomorrow 15:30–17:00.
  const start = new Date()
  start.setDate(start.getDate() + 1)
  start.setHours(15, 30, 0, 0)
  const end = new Date(start.getTime() + 90 * 60_000)
  await page
    .getByRole('button', { name: /^Move appointment on / })
    .first()
    .click()
  await page.getByLabel('Starts').fill(localInput(start))
  await page.getByLabel('Ends').fill(localInput(end))
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  await expect(page.getByLabel('Starts')).toHaveCount(0)

  // The form.
  const form = page.getByTestId('job-form')
  await form.getByLabel('Technician comments').fill('New tank installed, tested, no leaks')
  await form.getByRole('button', { name: 'Save answers' }).click()
  await expect(form).toContainText('Queued')

  await addNote(page, 'Left site')

  const queued = (await deviceJob(page, jobId)).outbox as Array<{
    id: string
    name: string
    args: Record<string, unknown>
  }>
  const names = [
    'note.add',
    'estimate.create',
    'signature.add',
    'invoice.create',
    'payment.add',
    'attachment.add',
    'attachment.add',
    'note.add',
    'attachment.add',
    'label.create',
    'job.addLabel',
    'job.removeLabel',
    'appointment.reschedule',
    'jobForm.answer',
    'note.add',
  ]
  expect(queued.map((e) => e.name)).toEqual(names)
  const photoIds = queued.filter((e) => e.name === 'attachment.add').map((e) => String(e.args.id))

  // Back online. Each file upload is held for a moment; when it starts, note what the server
  // already has.
  const atUpload = new Map<string, { notes: string[]; applied: number }>()
  const wire = await recordWire(context, {
    onFile: async (id) => {
      if (!atUpload.has(id)) {
        atUpload.set(id, {
          notes: serverNotes(server, jobId),
          applied: server.sql("SELECT id FROM processed_mutations WHERE status = 'applied'").length,
        })
      }
      await new Promise((r) => setTimeout(r, 1_000))
    },
  })
  await context.setOffline(false)
  const truth = await expectDeviceMatchesServer(page, server, jobId)

  // In order, exactly once.
  expect(pushed(wire).map((m) => m.id)).toEqual(queued.map((e) => e.id))
  const order = server.sql<{ id: string }>(
    "SELECT id FROM processed_mutations WHERE status = 'applied' ORDER BY seq",
  )
  expect(order.map((r) => r.id)).toEqual(queued.map((e) => e.id))
  expect(Object.values(appliedCounts(server)).reduce((a, b) => a + b, 0)).toBe(
    Object.values(before).reduce((a, b) => a + b, 0) + names.length,
  )

  // Each file went on its own request (three PUTs, none repeated), before its action's push;
  // no push carried file bytes.
  const files = wire.filter((e) => e.kind === 'file').map((e) => e.ids[0])
  expect(files).toEqual(photoIds)
  for (const id of photoIds) {
    const put = wire.findIndex((e) => e.kind === 'file' && e.ids[0] === id)
    const push = wire.findIndex((e) => e.kind === 'push' && e.ids.includes(queuedId(id)))
    expect(put).toBeGreaterThanOrEqual(0)
    expect(push).toBeGreaterThan(put)
  }
  function queuedId(attachmentId: string) {
    return queued.find((e) => e.name === 'attachment.add' && e.args.id === attachmentId)
      ?.id as string
  }
  for (const e of wire.filter((x) => x.kind === 'push')) {
    expect(JSON.stringify(e.mutations).length).toBeLessThan(200_000)
  }
  // The big photos did not hold back what was made before them: when the first upload began,
  // the server had already applied the note, the estimate, its signature, the invoice and the
  // payment; the note made between photos 2 and 3 was there before photo 3's upload.
  const first = atUpload.get(photoIds[0] as string)
  expect(first?.notes).toContain('Arrived; customer reports no hot water')
  expect(first?.applied).toBe(Object.values(before).reduce((a, b) => a + b, 0) + 5)
  expect(atUpload.get(photoIds[2] as string)?.notes).toContain('Old tank drained')

  // Actions on things made offline: same ids on the device, on the wire and on the server.
  const sent = pushed(wire)
  const sig = sent.find((m) => m.name === 'signature.add')?.args
  const inv = sent.find((m) => m.name === 'invoice.create')?.args
  const pay = sent.find((m) => m.name === 'payment.add')?.args
  expect(sig).toMatchObject({ subjectType: 'estimate', subjectId: estimateId })
  expect(inv).toMatchObject({ id: invoiceId, estimateId })
  expect(pay).toMatchObject({ invoiceId, method: 'cash', amountCents: 25031 })
  expect(truth.signatures.find((s) => s.subjectId === estimateId)?.signerName).toBe('Jordan Lee')
  expect(truth.invoices.find((i) => i.id === invoiceId)).toMatchObject({
    estimateId,
    balanceCents: 100_000,
  })
  expect(truth.invoices.find((i) => i.id === invoiceId)?.lineItems).toEqual(
    truth.estimates.find((e) => e.id === estimateId)?.lineItems,
  )
  expect(serverNotes(server, jobId).slice(-3)).toEqual([
    'Arrived; customer reports no hot water',
    'Old tank drained',
    'Left site',
  ])
  expect(truth.appointments.find((a) => a.id === office0.appointments[0]?.id)).toMatchObject({
    startsAt: start.toISOString(),
    endsAt: end.toISOString(),
  })

  // Every stored photo is a JPEG of at most 2048 px whose SHA-256 is the record's.
  for (const id of photoIds) {
    const record = truth.attachments.find((a) => a.id === id)
    const file = await downloadAs(server, TECH, `/api/attachments/${id}/file`)
    expect(file.type).toContain('image/jpeg')
    const { width, height } = jpegSize(file.bytes)
    expect(Math.max(width, height)).toBeLessThanOrEqual(2048)
    expect(createHash('sha256').update(file.bytes).digest('hex')).toBe(record?.sha256)
  }

  // What the screen shows is the server's: the new invoice's balance.
  await page.goto(`/#/job/${jobId}/invoice/${invoiceId}`)
  await expect(page.getByTestId('balance')).toHaveText('$1,000.00')
})
