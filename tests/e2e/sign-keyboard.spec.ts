import { inflateSync } from 'node:zlib'
import type { Locator, Page } from '@playwright/test'
import { expect, openFirstJobToday, signIn, test, waitForTodaysVisits } from './support/fixtures'

/**
 * A signature with the keyboard only (no pointer: a screen-reader user, or a customer who cannot
 * draw), in airplane mode: the signer's name is typed and signed as typed, and the server ends
 * up with the same record a drawn signature makes, the name and a PNG that is not blank.
 */

/** Presses Tab until `target` has focus; returns the accessible names of the stops on the way. */
async function tabTo(page: Page, target: Locator, max = 60): Promise<string[]> {
  const stops: string[] = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    stops.push(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''))
    if (await target.evaluate((el) => el === document.activeElement)) return stops
  }
  throw new Error(`never reached the target; focus went ${stops.join(' → ')}`)
}

/** How many bytes of a PNG's pixels are not fully transparent black (filter bytes left out). */
function inkedBytes(png: Buffer): { width: number; height: number; inked: number } {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  const width = png.readUInt32BE(16)
  const height = png.readUInt32BE(20)
  const idat: Buffer[] = []
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at)
    if (png.toString('ascii', at + 4, at + 8) === 'IDAT')
      idat.push(png.subarray(at + 8, at + 8 + len))
    at += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const row = raw.length / height
  let inked = 0
  for (let i = 0; i < raw.length; i++) if (i % row !== 0 && raw[i] !== 0) inked++
  return { width, height, inked }
}

test('keyboard only, offline: sign with the typed name; the server gets the name and a PNG', async ({
  page,
  context,
  server,
}) => {
  await signIn(page)
  await waitForTodaysVisits(page)
  const jobId = await openFirstJobToday(page)
  await expect(page.getByTestId('signatures')).toBeVisible()
  await context.setOffline(true)
  await expect(page.getByTestId('offline-alert')).toBeVisible()

  // Open the sheet from the keyboard.
  const collect = page.getByRole('button', { name: 'Collect signature' })
  await tabTo(page, collect)
  await page.keyboard.press('Enter')
  const sheet = page.getByRole('dialog', { name: 'Sign here' })
  await expect(sheet).toBeVisible()
  // The customer sees what they sign (the job chosen under "What is signed").
  await expect(sheet.getByTestId('signature-what')).toContainText(
    /Signing for: the work on Job #\d+/,
  )

  // The pad is in the accessibility tree, named by what it holds; Save says why it cannot save.
  const pad = sheet.getByRole('img', { name: 'Signature box: empty' })
  await expect(pad).toBeVisible()
  const save = sheet.getByRole('button', { name: 'Save signature' })
  await expect(save).toHaveAttribute('aria-disabled', 'true')
  await expect(save).toHaveAccessibleDescription(/type the signer’s name/)

  // Tab walks name → Sign with typed name → Clear → Save → Cancel: Save is reachable.
  const name = sheet.getByRole('textbox', { name: "Signer's name" })
  await tabTo(page, name, 5)
  const stops = await tabTo(page, save, 5)
  expect(stops).toEqual(['Sign with typed name', 'Clear', 'Save signature'])
  // Enter on a Save that cannot save yet saves nothing and sends focus to the missing name.
  await page.keyboard.press('Enter')
  await expect(sheet).toBeVisible()
  await expect(name).toBeFocused()

  const signer = 'Robin Keyboard'
  await page.keyboard.type(signer)
  await expect(save).toHaveAccessibleDescription(/draw in the box .* Sign with typed name/)
  await page.keyboard.press('Tab')
  await expect(sheet.getByRole('button', { name: 'Sign with typed name' })).toBeFocused()
  await page.keyboard.press('Space')
  await expect(
    sheet.getByRole('img', { name: `Signature box: typed name ${signer}` }),
  ).toBeVisible()
  await expect(save).toHaveAttribute('aria-disabled', 'false')
  await expect(save).toHaveAccessibleDescription('Ready to save: signed with the typed name.')
  await tabTo(page, save, 3)
  await page.keyboard.press('Enter')
  await expect(sheet).toHaveCount(0)
  await expect(collect).toBeFocused()
  await expect(page.getByTestId('signature').filter({ hasText: signer })).toBeVisible()

  // Nothing reached the server offline; back online, the signature does.
  const stored = () =>
    server.sql<{ signer_name: string; image: string; subject_type: string }>(
      'SELECT signer_name, image, subject_type FROM signatures WHERE job_id = ? AND signer_name = ?',
      jobId,
      signer,
    )
  expect(stored()).toEqual([])
  await context.setOffline(false)
  await expect.poll(() => stored().length, { timeout: 30_000 }).toBe(1)
  const [row] = stored()
  expect(row?.subject_type).toBe('job')
  expect(row?.image).toMatch(/^data:image\/png;base64,/)
  const png = inkedBytes(Buffer.from(String(row?.image).split(',')[1] ?? '', 'base64'))
  expect(png.width).toBeGreaterThan(100)
  // The typed name was drawn: not a blank canvas.
  expect(png.inked).toBeGreaterThan(500)
})
