import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatCents } from '../../protocol/money'
import { PROTOCOL_VERSION } from '../../protocol/version'
import { waitForDoc } from './support/actions'
import { deviceQueue } from './support/deviceQueue'
import {
  addNote,
  test as base,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  waitForTodaysVisits,
  withoutBackgroundSync,
} from './support/fixtures'
import { type Build, buildOfCommit, PROTOCOL_1_COMMIT } from './support/oldBuild'
import { comeBack, mark, marked } from './support/pageMark'
import { TestServer } from './support/server'

/**
 * A deployment while a technician has actions queued (issue 18). The device runs the build of
 * the last commit before protocol versions (protocol 1: no version named, Dexie schema 2,
 * `payment.add` with `reference: null`) against that commit's server. Offline, it queues a cash
 * payment and two notes. The office then deploys: today's server on the same database, serving
 * today's build (protocol 2, schema 4, no `reference` key). The device comes back online, but
 * its uploads are held (routed away) until the new version has taken over the page, so the
 * queue goes through the Dexie upgrade and is sent by the new app as version 1 actions, which
 * the server upgrades. Every action arrives exactly once, in the order it was made. Once with
 * Background Sync and once without (mobile Safari: the page drains).
 */
const test = base.extend<Record<never, never>, { before: Build }>({
  before: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      await use(buildOfCommit(PROTOCOL_1_COMMIT))
    },
    { scope: 'worker', timeout: 180_000 },
  ],
})
test.describe.configure({ mode: 'default' })

for (const variant of ['Chromium (Background Sync)', 'no Background Sync (Safari)'] as const) {
  test(`actions queued on the build before upload once, in order, after the update — ${variant}`, async ({
    browser,
    before,
  }) => {
    test.setTimeout(180_000)
    const app = mkdtempSync(join(tmpdir(), 'fieldline-app-'))
    cpSync(before.app, app, { recursive: true })
    const old = new TestServer({ STATIC_DIR: app }, before.main)
    let current: TestServer | undefined
    await old.start()
    const context = await browser.newContext({ baseURL: old.url })
    try {
      if (variant.startsWith('no')) await withoutBackgroundSync(context)
      const page = await context.newPage()
      await signIn(page)
      await waitForTodaysVisits(page)
      expect((await deviceQueue(page)).schema).toBe(2)
      const jobId = await openFirstJobToday(page)
      const notesBefore = serverNotes(old, jobId)
      const paymentsBefore = old.sql('SELECT id FROM payments').length

      // Offline on the build before: a cash payment (its old shape), then two notes.
      await context.setOffline(true)
      await page.getByTestId('invoice').first().click()
      await waitForDoc(page, 'invoice')
      const payments = page.getByTestId('payments')
      await payments.getByLabel('Amount').fill('12.50')
      await payments.getByRole('button', { name: 'Record payment' }).click()
      await expect(payments.getByText(formatCents(1250)).first()).toBeVisible()
      await page.goBack()
      await expect(page.getByTestId('job-title')).toBeVisible()
      const notes = ['Before the update: valve replaced', 'Before the update: customer signed off']
      for (const n of notes) await addNote(page, n)
      const queued = await deviceQueue(page)
      expect(queued.entries.map((e) => e.name)).toEqual(['payment.add', 'note.add', 'note.add'])
      expect(queued.entries[0]?.args).toMatchObject({ reference: null })
      expect(queued.entries.every((e) => e.v === undefined)).toBe(true)

      // The deployment: today's server on the same database and port, serving today's build.
      await old.stop()
      rmSync(app, { recursive: true, force: true })
      cpSync('dist', app, { recursive: true })
      current = new TestServer(
        { STATIC_DIR: app, DATABASE_FILE: old.file, PORT: new URL(old.url).port },
        'dist-server/main.js',
      )
      await current.start()

      // Back online, uploads held until the new version runs (page and worker alike).
      let held = 0
      await context.route('**/api/sync/push', (route) => {
        held++
        return route.abort('internetdisconnected')
      })
      await context.setOffline(false)
      await comeBack(page)
      const banner = page.getByTestId('update-ready')
      await expect(banner).toContainText('A new version of Fieldline is ready.', {
        timeout: 30_000,
      })
      await mark(page)
      await banner.getByRole('button', { name: 'Reload' }).click()
      await expect.poll(() => marked(page), { timeout: 30_000 }).toBe(false)
      await expect(page.getByTestId('job-title')).toBeVisible()

      // Today's build opened the database: schema 4 (3 stamped the queue, 4 added the drafts
      // store), the same queue, stamped protocol 1.
      await expect.poll(async () => (await deviceQueue(page)).schema).toBe(4)
      const upgraded = await deviceQueue(page)
      expect(upgraded.entries.map((e) => [e.seq, e.id, e.v])).toEqual(
        queued.entries.map((e) => [e.seq, e.id, 1]),
      )
      expect(held).toBeGreaterThan(0)
      expect(old.sql('SELECT id FROM processed_mutations')).toEqual([])

      // Uploads let through: the new app sends them, the server upgrades the payment.
      const pushes: Array<{ protocol: string | undefined; v: unknown[] }> = []
      page.on('request', (r) => {
        if (!r.url().endsWith('/api/sync/push')) return
        const body = r.postDataJSON() as { mutations: Array<{ v?: number }> }
        pushes.push({
          protocol: r.headers()['x-fieldline-protocol'],
          v: body.mutations.map((m) => m.v),
        })
      })
      await context.unrouteAll({ behavior: 'ignoreErrors' })
      await page.evaluate(() => window.dispatchEvent(new Event('online')))
      await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 30_000 })

      // The database is the one file both servers used (old.file); old.sql reads it.
      const processed = old.sql<{ id: string; seq: number; status: string; name: string }>(
        'SELECT id, seq, status, name FROM processed_mutations ORDER BY seq',
      )
      expect(processed).toEqual(
        queued.entries.map((e) => ({ id: e.id, seq: e.seq, status: 'applied', name: e.name })),
      )
      expect(serverNotes(old, jobId)).toEqual([...notesBefore, ...notes])
      const paid = old.sql<{ amount_cents: number; reference: string | null }>(
        'SELECT amount_cents, reference FROM payments WHERE id = ?',
        (queued.entries[0]?.args as { id?: string } | undefined)?.id ?? '',
      )
      expect(paid).toEqual([{ amount_cents: 1250, reference: null }])
      expect(old.sql('SELECT id FROM payments').length).toBe(paymentsBefore + 1)
      // In Chromium the worker may have sent them (its requests are not the page's).
      if (variant.startsWith('no')) {
        expect(pushes.length).toBeGreaterThan(0)
        for (const p of pushes) {
          expect(p.protocol).toBe(String(PROTOCOL_VERSION))
          expect(p.v).toEqual(p.v.map(() => 1))
        }
      }
      await expect(page.getByTestId('update-required')).toHaveCount(0)
    } finally {
      await context.close()
      await current?.dispose()
      await old.dispose()
      rmSync(app, { recursive: true, force: true })
    }
  })
}
