import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium } from '@playwright/test'
import { CHROMIUM } from './support/browser'
import { FaultProxy } from './support/faultProxy'
import {
  addNote,
  expect,
  openFirstJobToday,
  serverNotes,
  signIn,
  TECH,
  type TestServer,
  test,
  waitForTodaysVisits,
  withoutBackgroundSync,
} from './support/fixtures'

/** The Chromium browser process started on this profile (not its renderers or helpers). */
function browserPids(profile: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
  return out
    .split('\n')
    .filter((l) => l.includes(`--user-data-dir=${profile}`) && !l.includes('--type='))
    .map((l) => Number.parseInt(l.trim(), 10))
    .filter((pid) => Number.isFinite(pid))
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function open(profile: string, baseURL: string, safari: boolean): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM,
    baseURL,
    viewport: { width: 390, height: 844 },
    serviceWorkers: 'allow',
  })
  if (safari) await withoutBackgroundSync(context)
  return context
}

function applied(server: TestServer): number {
  return (
    server.sql<{ n: number }>(
      "SELECT count(*) AS n FROM processed_mutations WHERE name = 'note.add' AND status = 'applied'",
    )[0]?.n ?? 0
  )
}

for (const variant of ['Chrome (Background Sync)', 'Safari (no Background Sync)'] as const) {
  test(`${variant}: browser killed after the server applied a batch, before the answer: reopened, each note once, in order`, async ({
    server,
  }) => {
    test.setTimeout(150_000)
    const safari = variant.startsWith('Safari')
    const proxy = await new FaultProxy({ target: server.url }).start()
    const profile = mkdtempSync(join(tmpdir(), 'fieldline-crash-'))
    try {
      let context = await open(profile, proxy.url, safari)
      let page = context.pages()[0] ?? (await context.newPage())
      await signIn(page)
      await waitForTodaysVisits(page)
      const jobId = await openFirstJobToday(page)
      const before = serverNotes(server, jobId)
      const notes = ['Crash note 1', 'Crash note 2', 'Crash note 3']

      await context.setOffline(true)
      for (const n of notes) await addNote(page, n)
      await expect(page.getByTestId('pending-count')).toHaveText('3')

      // The first push the server answers: it has committed; kill -9 the browser before the
      // answer is passed on, so the device still holds the three entries (Uploading).
      const pids = browserPids(profile)
      expect(pids).toHaveLength(1)
      const pid = pids[0] as number
      let killed = false
      proxy.onForwarded = async () => {
        if (killed) return
        killed = true
        process.kill(pid, 'SIGKILL')
        await expect.poll(() => alive(pid)).toBe(false)
      }
      proxy.plan = ['lost-answer']
      await context.setOffline(false)
      await expect.poll(() => killed, { timeout: 20_000 }).toBe(true)
      expect(serverNotes(server, jobId)).toEqual([...before, ...notes])
      await context.close().catch(() => undefined)
      proxy.onForwarded = undefined

      // Reopened on the same profile, online: the queue is still there and finishes.
      const pushesBefore = proxy.forwardedBodies.length
      context = await open(profile, proxy.url, safari)
      page = context.pages()[0] ?? (await context.newPage())
      await page.goto(`/#/job/${jobId}`)
      await expect(page.getByTestId('note').filter({ hasText: 'Crash note 3' })).toBeVisible()
      // Chromium writes cookies to disk lazily, so a browser killed soon after signing in may
      // come back without its session cookie. Then the app must ask to sign in again, keeping
      // the queue (seen in about half of the runs); otherwise it uploads straight away.
      const notice = page.getByTestId('session-expired')
      const pending = page.getByTestId('pending-count')
      const state = async () =>
        (await notice.count()) > 0
          ? 'expired'
          : proxy.forwardedBodies.length > pushesBefore && (await pending.count()) === 0
            ? 'done'
            : 'waiting'
      await expect.poll(state, { timeout: 20_000 }).not.toBe('waiting')
      if ((await state()) === 'expired') {
        await expect(pending).toHaveText('3')
        expect(serverNotes(server, jobId)).toEqual([...before, ...notes])
        await notice.getByRole('link', { name: 'Sign in' }).click()
        await page.getByLabel('Password').fill(TECH.password)
        await page.getByRole('button', { name: 'Sign in' }).click()
        await expect(page.getByTestId('job-title')).toBeVisible()
      }
      await expect(pending).toHaveCount(0, { timeout: 20_000 })
      await addNote(page, 'After the crash')
      // Wait for the server, not for a word on screen: the note's badge reads Queued, then
      // Uploading or Waiting for signal, so "no Queued" can hold before the upload is done.
      await expect
        .poll(() => serverNotes(server, jobId), { timeout: 20_000 })
        .toEqual([...before, ...notes, 'After the crash'])
      await expect(pending).toHaveCount(0, { timeout: 20_000 })
      expect(applied(server)).toBe(4)
      // The reopened device did resend the killed batch (same ids): answered as duplicates.
      const resent = proxy.forwardedBodies
        .slice(pushesBefore)
        .some((b) => b.includes('Crash note 1'))
      expect(resent).toBe(true)
      await context.close()
    } finally {
      await proxy.close()
      // A killed browser's helper processes may still be writing into the profile for a moment.
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 })
    }
  })
}
