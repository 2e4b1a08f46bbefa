import { deviceJob } from './support/actions'
import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * A save never wipes or blanks what is on screen (issue 15): after "Save answers" the job form's
 * fields used to go blank for 13–38 ms (the draft was dropped before the saved answers were read
 * back), and a form cleared after its save lost what was typed while the save ran. Every
 * animation frame of the save is sampled here.
 */
test('Save answers keeps the fields filled in every frame, and text typed during a save stays', async ({
  page,
  context,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  await openFirstJobToday(page)
  await context.setOffline(true)
  const form = page.getByTestId('job-form')
  const comments = form.getByLabel('Technician comments')
  await comments.fill('Coil cleaned, drain line flushed')

  // Record the field's value on every frame from the click until the answer shows Queued.
  await comments.evaluate((input: HTMLInputElement) => {
    const seen: string[] = []
    ;(window as unknown as { seen: string[] }).seen = seen
    const sample = () => {
      seen.push(input.isConnected ? input.value : '(gone)')
      if (seen.length < 120) requestAnimationFrame(sample)
    }
    requestAnimationFrame(sample)
  })
  await form.getByRole('button', { name: 'Save answers' }).click()
  await expect(form).toContainText('Queued')
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen)
  expect(new Set(seen)).toEqual(new Set(['Coil cleaned, drain line flushed']))

  // Typing straight after the click (while the save runs) is kept, and saved by a tap that
  // comes while that save may still run: it is saved right after it, never dropped.
  await comments.fill('First answer')
  await form.getByRole('button', { name: 'Save answers' }).click()
  await comments.focus()
  await page.keyboard.press('End')
  await page.keyboard.type(', then more')
  await expect(comments).toHaveValue('First answer, then more')
  await form.getByRole('button', { name: 'Save answers' }).click()
  await expect(comments).toHaveValue('First answer, then more')
  // Saved on the device (a reload within the few ms of a write would cut any web app's save).
  const jobId = decodeURIComponent(new URL(page.url()).hash.replace('#/job/', ''))
  await expect
    .poll(async () => JSON.stringify((await deviceJob(page, jobId)).jobForms))
    .toContain('First answer, then more')
  await page.reload()
  await expect(page.getByTestId('job-form').getByLabel('Technician comments')).toHaveValue(
    'First answer, then more',
  )
})
