// @ts-check
// Safari's engine (Debian's WebKitGTK, driven over WebDriver) against the real server: load
// once online, reload with the link cut, queue notes, upload them once and in order when the
// link is back. WebKit has no Background Sync, so everything after the cut relies on the
// page's own triggers (start, health probe, retry timer). `navigator.onLine` stays true the
// whole time: only failed requests tell the app it is cut off.
import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { addNote, openFirstJob, signIn, texts } from './support/app.mjs'
import { CuttableProxy } from './support/proxy.mjs'
import { TestServer } from './support/server.mjs'
import { eventually, WebKitDriver } from './support/webkit.mjs'

const server = new TestServer()
/** @type {CuttableProxy} */
let proxy
const webkit = new WebKitDriver()
/** @type {import('selenium-webdriver').WebDriver | undefined} */
let driver

before(async () => {
  await Promise.all([server.start(), webkit.start()])
  proxy = new CuttableProxy(server.url)
  await proxy.start()
})

after(async () => {
  await driver?.quit().catch(() => {})
  webkit.stop()
  await proxy?.stop()
  await server.dispose()
})

test('offline loop in WebKit: load once, reload cut off, queue notes, upload once in order', async (t) => {
  const browser = await webkit.session()
  driver = browser
  /** @type {string} */
  let jobId = ''
  /** @type {string[]} */
  let before = []
  let title = ''
  const online = 'Checked in with the customer'

  await t.test('first load online: signed in, the service worker controls the page', async () => {
    await signIn(browser, proxy.url)
    assert.equal(await browser.executeScript(() => 'SyncManager' in window), false)
    jobId = await openFirstJob(browser)
    title = (await texts(browser, 'job-title'))[0] ?? ''
    // A note while online uploads at once, so the job has a note to read back offline.
    await addNote(browser, online)
    await eventually(async () => server.notes(jobId).includes(online), 'the online note upload')
    await eventually(
      async () => (await texts(browser, 'pending-count')).length === 0,
      'no pending mark',
    )
    before = server.notes(jobId)
  })

  await t.test('link cut, reload: shell from the service worker, data from IndexedDB', async () => {
    proxy.cut('refuse')
    const refusedBefore = proxy.refused
    const forwardedBefore = proxy.forwarded
    await browser.executeScript(() => {
      Object.assign(window, { beforeReload: true })
    })
    await browser.navigate().refresh()
    await eventually(async () => (await texts(browser, 'job-title'))[0] === title, 'job title')
    await eventually(
      async () => (await texts(browser, 'note')).some((n) => n.includes(online)),
      "the job's note from IndexedDB",
    )
    assert.equal(await browser.executeScript(() => 'beforeReload' in window), false, 'reloaded')
    // The app's own requests are refused, nothing reached the server, yet the page is there:
    // the service worker answered.
    await eventually(async () => proxy.refused > refusedBefore, 'a refused request')
    assert.equal(proxy.forwarded, forwardedBefore)
    assert.equal(await browser.executeScript(() => navigator.onLine), true)
    // Today's appointments too (a hash route: no request).
    await browser.executeScript(() => {
      location.hash = '#/'
    })
    await eventually(async () => (await texts(browser, 'visit')).length > 0, "today's visits")
    await browser.executeScript((/** @type {string} */ id) => {
      location.hash = `#/job/${encodeURIComponent(id)}`
    }, jobId)
    await eventually(async () => (await texts(browser, 'job-title'))[0] === title, 'job again')
  })

  const notes = [
    'Shut-off valve seized, replaced',
    'Customer asked for a quote on the softener',
    'Left spare filter in garage',
  ]

  await t.test('still cut: notes show as Queued, the offline alert appears', async () => {
    await eventually(
      async () => (await texts(browser, 'offline-alert')).length > 0,
      'the offline alert',
      10_000,
    )
    for (const n of notes) {
      await addNote(browser, n)
      await eventually(
        async () =>
          (await texts(browser, 'toast')).some((s) =>
            s.includes("Saved on this device; it will upload when you're back online."),
          ),
        'the saved-offline toast',
      )
    }
    const shown = await texts(browser, 'note')
    assert.ok(shown[0]?.includes(notes[2] ?? ''), `newest first: ${shown[0]}`)
    for (const n of notes) {
      const row = shown.find((s) => s.includes(n))
      assert.ok(row?.includes('Queued'), `"${n}" is Queued: ${row}`)
    }
    assert.deepEqual(await texts(browser, 'pending-count'), ['3'])
    assert.deepEqual(server.notes(jobId), before)
  })

  await t.test('link restored: the page uploads the queue once, in order', async () => {
    proxy.restore()
    await eventually(
      async () => (await texts(browser, 'pending-count')).length === 0,
      'the pending count to clear',
      30_000,
    )
    const shown = await texts(browser, 'note')
    assert.equal(shown.filter((s) => s.includes('Queued')).length, 0)
    assert.deepEqual(server.notes(jobId), [...before, ...notes])
    const processed = server.sql(
      "SELECT count(*) AS n FROM processed_mutations WHERE name = 'note.add' AND status = 'applied'",
    )
    assert.equal(processed[0]?.n, 4)
  })
})
