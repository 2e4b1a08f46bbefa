import type { Page } from '@playwright/test'
import { deviceQueue } from './support/deviceQueue'
import {
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  test,
  waitForTodaysVisits,
} from './support/fixtures'

/** A technician called away mid-sentence comes back to what they typed, not to an empty box. */
test('a half-written note survives going to another screen and back', async ({ page }) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  const jobUrl = page.url()
  const box = page.getByLabel('New note')
  await box.fill('Compressor hums but the fan does not')
  await page.getByRole('link', { name: 'Today' }).click()
  await waitForTodaysVisits(page)
  await page.goto(jobUrl)
  await expect(page.getByLabel('New note')).toHaveValue('Compressor hums but the fan does not')
  // Saved: the draft is gone with it.
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('note').first()).toContainText('Compressor hums')
  await page.getByRole('link', { name: 'Today' }).click()
  await waitForTodaysVisits(page)
  await page.goto(jobUrl)
  await expect(page.getByLabel('New note')).toHaveValue('')
})

test('an estimate edited and not saved is kept, said to be unsaved, and can be discarded', async ({
  page,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  const jobUrl = page.url()
  await page.getByTestId('estimate').first().click()
  await expect(page.getByTestId('doc-editor')).toBeVisible()
  const estimateUrl = page.url()
  const price = page.getByTestId('line-item').first().getByLabel('Unit price')
  const was = await price.inputValue()
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await price.fill('987.65')
  await expect(page.getByTestId('unsaved')).toContainText('Unsaved changes')

  // Back to the job and in again: the price typed is still there, and still said to be unsaved.
  await page.goto(jobUrl)
  await expect(page.getByTestId('job-title')).toBeVisible()
  await page.goto(estimateUrl)
  await expect(page.getByTestId('line-item').first().getByLabel('Unit price')).toHaveValue('987.65')
  await expect(page.getByTestId('unsaved')).toBeVisible()

  // Discard: the document as it is.
  await page.getByRole('button', { name: 'Discard changes' }).click()
  await expect(page.getByTestId('line-item').first().getByLabel('Unit price')).toHaveValue(was)
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
})

/** Every draft on the device, by database, read with the browser's own IndexedDB API. */
function deviceDrafts(page: Page): Promise<Record<string, unknown[]>> {
  return page.evaluate(async () => {
    const out: Record<string, unknown[]> = {}
    for (const { name } of await indexedDB.databases()) {
      if (!name?.startsWith('fieldline-user-')) continue
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(name)
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
      try {
        if (!db.objectStoreNames.contains('drafts')) continue
        out[name] = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction('drafts').objectStore('drafts').getAll()
          req.onsuccess = () => resolve(req.result.map((r: { value: unknown }) => r.value))
          req.onerror = () => reject(req.error)
        })
      } finally {
        db.close()
      }
    }
    return out
  })
}

/**
 * A phone PWA is reloaded, killed in the background by iOS, or crashes: what was typed and not
 * saved is on the device and comes back, still said to be unsaved. Reloaded right after the
 * typing (inside the 300 ms before the device copy is written): the `pagehide` write keeps it.
 */
test('a half-written note survives a reload, online and offline, and is saved once', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const notesCard = page.locator('section', { has: page.getByLabel('New note') })
  const box = page.getByLabel('New note')

  await box.fill('Compressor hums')
  await page.reload()
  await expect(box).toHaveValue('Compressor hums')
  await expect(notesCard.getByTestId('unsaved')).toContainText('Unsaved changes')

  // Offline (the app killed on a site with no signal, opened again from the home screen).
  await context.setOffline(true)
  const text = 'Compressor hums but the fan does not turn'
  await box.fill(text)
  await page.reload()
  await expect(box).toHaveValue(text)
  await expect(notesCard.getByTestId('unsaved')).toBeVisible()

  // Saved: one note queued, the draft gone, also after another reload.
  await page.getByRole('button', { name: 'Save note' }).click()
  await expect(page.getByTestId('note').filter({ hasText: text })).toHaveCount(1)
  await expect(box).toHaveValue('')
  await expect(notesCard.getByTestId('unsaved')).toHaveCount(0)
  const queued = (await deviceQueue(page)).entries.filter((e) => e.name === 'note.add')
  expect(queued.map((e) => (e.args as { body: string }).body)).toEqual([text])
  await expect.poll(async () => Object.values(await deviceDrafts(page)).flat()).toEqual([])
  await page.reload()
  await expect(page.getByTestId('note').filter({ hasText: text })).toHaveCount(1)
  await expect(box).toHaveValue('')

  // Online again: it reaches the server once; a draft is never uploaded.
  await context.setOffline(false)
  await expect.poll(() => serverNotes(server, jobId).filter((b) => b === text)).toHaveLength(1)
  expect(serverNotes(server, jobId).filter((b) => b.startsWith('Compressor hums'))).toEqual([text])
})

test('an estimate’s unsaved price survives a reload; Discard removes it for good', async ({
  page,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  await page.getByTestId('estimate').first().click()
  await expect(page.getByTestId('doc-editor')).toBeVisible()
  const price = page.getByTestId('line-item').first().getByLabel('Unit price')
  const was = await price.inputValue()
  await price.fill('987.65')
  await page.reload()
  await expect(price).toHaveValue('987.65')
  await expect(page.getByTestId('unsaved')).toContainText('Unsaved changes')

  await page.getByRole('button', { name: 'Discard changes' }).click()
  await expect(price).toHaveValue(was)
  await page.reload()
  await expect(page.getByTestId('doc-editor')).toBeVisible()
  await expect(price).toHaveValue(was)
  await expect(page.getByTestId('unsaved')).toHaveCount(0)

  // Saved: the draft goes with it.
  await price.fill('123.45')
  await page.reload()
  await expect(price).toHaveValue('123.45')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
  await expect.poll(async () => Object.values(await deviceDrafts(page)).flat()).toEqual([])
  await page.reload()
  await expect(price).toHaveValue('123.45')
  await expect(page.getByTestId('unsaved')).toHaveCount(0)
})

test('a draft is the technician’s own: signing out deletes it, the next one never sees it', async ({
  page,
}) => {
  test.setTimeout(180_000) // three sign-ins, each with its pre-load
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  const secret = `Alex's half-written note ${Date.now()}`
  await page.getByLabel('New note').fill(secret)
  await expect.poll(async () => JSON.stringify(await deviceDrafts(page))).toContain(secret)

  await page.goto('/#/settings')
  await page.getByTestId('sign-out').click()
  await expect(page.getByLabel('Email')).toBeVisible()
  expect(JSON.stringify(await deviceDrafts(page))).not.toContain(secret)

  // Sam, on the same phone: no draft anywhere, and an empty box on his own jobs.
  await signIn(page, { email: 'sam@fieldline.test', password: 'fieldline', name: 'Sam Okafor' })
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  await expect(page.getByLabel('New note')).toHaveValue('')
  await page.reload()
  await expect(page.getByLabel('New note')).toHaveValue('')
  expect(JSON.stringify(await deviceDrafts(page))).not.toContain(secret)

  // Alex again: the draft went with the sign-out.
  await page.goto('/#/settings')
  await page.getByTestId('sign-out').click()
  await expect(page.getByLabel('Email')).toBeVisible()
  await signIn(page)
  await waitForTodaysVisits(page)
  await page.goto(`/#/job/${encodeURIComponent(jobId)}`)
  await expect(page.getByTestId('job-title')).toBeVisible()
  await expect(page.getByLabel('New note')).toHaveValue('')
})

test('job form answers typed and not saved survive a reload, and go once saved', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  // Offline, so the saved answer stays in the queue to be counted.
  await context.setOffline(true)
  const form = page.getByTestId('job-form')
  const comments = form.getByLabel('Technician comments')
  await comments.fill('Coil cleaned, drain line half flushed')
  await page.reload()
  await expect(comments).toHaveValue('Coil cleaned, drain line half flushed')
  await expect(form.getByTestId('unsaved')).toContainText('Unsaved changes')

  await form.getByRole('button', { name: 'Save answers' }).click()
  await expect(form).toContainText('Queued')
  await expect(form.getByTestId('unsaved')).toHaveCount(0)
  const queued = (await deviceQueue(page)).entries.filter((e) => e.name === 'jobForm.answer')
  expect(queued).toHaveLength(1)
  await expect.poll(async () => Object.values(await deviceDrafts(page)).flat()).toEqual([])
  await page.reload()
  await expect(comments).toHaveValue('Coil cleaned, drain line half flushed')
  await expect(form.getByTestId('unsaved')).toHaveCount(0)
})
