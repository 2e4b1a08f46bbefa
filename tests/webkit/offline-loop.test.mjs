// @ts-check
// Safari's engine (Debian's WebKitGTK, driven over WebDriver) against the real server: load
// once online, reload with the link cut, queue notes, upload them once and in order when the
// link is back. WebKit has no Background Sync, so everything after the cut relies on the
// page's own triggers (start, health probe, retry timer). `navigator.onLine` stays true the
// whole time: only failed requests tell the app it is cut off.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addNote, addPhoto, openFirstJob, signIn, tap, texts } from './support/app.mjs'
import { webkitRig } from './support/rig.mjs'
import { By, eventually } from './support/webkit.mjs'

const rig = webkitRig()
const { server, webkit } = rig

test('offline loop in WebKit: load once, reload cut off, queue notes, upload once in order', async (t) => {
  const browser = await webkit.session()
  rig.driver = browser
  /** @type {string} */
  let jobId = ''
  /** @type {string[]} */
  let before = []
  let title = ''
  const online = 'Checked in with the customer'

  await t.test('first load online: signed in, the service worker controls the page', async () => {
    await signIn(browser, rig.proxy.url)
    assert.equal(await browser.executeScript(() => 'SyncManager' in window), false)
    // Photos offline need "Offline Photos Enabled" (off by default).
    await browser.executeScript(() => {
      location.hash = '#/settings/offline'
    })
    await eventually(
      async () =>
        (await browser.findElements(By.css('[data-testid="setting-offlinePhotosEnabled"]')))[0],
      'Offline Settings',
    )
    await tap(browser, By.css('[data-testid="setting-offlinePhotosEnabled"]'))
    await browser.executeScript(() => {
      location.hash = '#/'
    })
    await eventually(async () => (await texts(browser, 'visit')).length > 0, "today's visits")
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
    rig.proxy.cut('refuse')
    const refusedBefore = rig.proxy.refused
    const forwardedBefore = rig.proxy.forwarded
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
    await eventually(async () => rig.proxy.refused > refusedBefore, 'a refused request')
    assert.equal(rig.proxy.forwarded, forwardedBefore)
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
    // Queued shows at the commit; the pill counts from the queue list a moment later.
    await eventually(
      async () => JSON.stringify(await texts(browser, 'pending-count')) === '["3"]',
      'the pill to count 3',
    )
    assert.deepEqual(server.notes(jobId), before)
  })

  const payments = () => server.sql('SELECT amount_cents FROM payments WHERE amount_cents = 123')
  const photos = () =>
    server.sql(
      "SELECT id FROM attachments WHERE job_id = ? AND filename = 'webkit-photo.png'",
      jobId,
    )

  await t.test('still cut: a photo and a cash payment are saved and Queued too', async () => {
    await addPhoto(browser, 'webkit-photo.png')
    await eventually(
      async () => (await texts(browser, 'photo')).some((s) => s.includes('Queued')),
      'the photo Queued',
    )
    await tap(browser, By.css('[data-testid="invoice"]'))
    const amount = await eventually(
      async () =>
        (await browser.findElements(By.xpath('//label[contains(., "Amount")]//input')))[0],
      'the payment form',
    )
    await amount.sendKeys('1.23')
    // A toast may sit over the button for a few seconds; a finger would wait, the test clicks.
    const record = await browser.findElement(
      By.xpath('//button[normalize-space()="Record payment"]'),
    )
    await browser.executeScript((/** @type {HTMLElement} */ e) => e.click(), record)
    await eventually(
      async () => (await texts(browser, 'payment')).some((s) => s.includes('Queued')),
      'the payment Queued',
    )
    // Queued shows at the commit; the pill counts from the queue list a moment later.
    await eventually(
      async () => JSON.stringify(await texts(browser, 'pending-count')) === '["5"]',
      'the pill to count 5',
    )
    assert.equal(payments().length, 0)
    assert.equal(photos().length, 0)
  })

  await t.test('link restored: the page uploads the queue once, in order', async () => {
    rig.proxy.restore()
    await eventually(
      async () => (await texts(browser, 'pending-count')).length === 0,
      'the pending count to clear',
      30_000,
    )
    const shown = await texts(browser, 'note')
    assert.equal(shown.filter((s) => s.includes('Queued')).length, 0)
    assert.deepEqual(server.notes(jobId), [...before, ...notes])
    const processed = server.sql(
      "SELECT name, count(*) AS n FROM processed_mutations WHERE status = 'applied' GROUP BY name ORDER BY name",
    )
    assert.deepEqual(processed, [
      { name: 'attachment.add', n: 1 },
      { name: 'note.add', n: 4 },
      { name: 'payment.add', n: 1 },
    ])
    assert.equal(payments().length, 1)
    assert.equal(photos().length, 1)
  })
})
