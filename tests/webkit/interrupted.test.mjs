// @ts-check
// The ways a WebKit session gets interrupted in the field, against the real server: the window
// closed with notes queued, and a dead hotspot where connections hang instead of failing.
import assert from 'node:assert/strict'
import { afterEach, test } from 'node:test'
import { addNote, openFirstJob, signIn, texts } from './support/app.mjs'
import { webkitRig } from './support/rig.mjs'
import { eventually } from './support/webkit.mjs'

const rig = webkitRig()
const { server, webkit } = rig

afterEach(() => rig.proxy.restore())

/**
 * @param {import('selenium-webdriver').WebDriver} browser
 * @param {string} text
 */
async function noteRow(browser, text) {
  return (await texts(browser, 'note')).find((s) => s.includes(text)) ?? ''
}

// The issue asks for "close the session with actions queued; a new session on the same profile
// uploads them". WebKitGTK cannot do that here: MiniBrowser in --automation mode runs on an
// ephemeral website-data session, and WebKitWebDriver has no capability for a data directory,
// so every new session starts with no IndexedDB, no service worker and no sign-in (checked:
// a second session on the same driver shows the sign-in screen). What can be tested is the
// same queue outliving its page: the window that saved the notes is closed while cut off, and
// a new window in the same browser session, opened once the link is back, uploads them.
test('a window closed cut off with notes queued: a new window, link back, uploads them', (t) =>
  webkit.run(t, async (browser) => {
    rig.proxy.restore()
    await signIn(browser, rig.proxy.url)
    const jobId = await openFirstJob(browser)
    const before = server.notes(jobId)
    const notes = ['Written before the window closed (1)', 'Written before the window closed (2)']

    rig.proxy.cut('refuse')
    for (const n of notes) {
      await addNote(browser, n)
      // The first save still finds the app "online" and tries to upload at once; the refused
      // push puts it back to Queued.
      await eventually(async () => /Queued/.test(await noteRow(browser, n)), `"${n}" Queued`)
    }
    const first = await browser.getWindowHandle()
    await browser.switchTo().newWindow('window')
    const second = await browser.getWindowHandle()
    await browser.switchTo().window(first)
    await browser.close()
    await browser.switchTo().window(second)
    assert.deepEqual(await browser.getAllWindowHandles(), [second])
    assert.deepEqual(server.notes(jobId), before)

    rig.proxy.restore()
    await browser.get(`${rig.proxy.url}/#/job/${encodeURIComponent(jobId)}`)
    await eventually(async () => (await noteRow(browser, notes[1] ?? '')) !== '', 'the queued note')
    await eventually(
      async () => (await texts(browser, 'pending-count')).length === 0,
      'the pending count to clear',
      30_000,
    )
    assert.equal((await texts(browser, 'note')).filter((s) => /Queued|Uploading/.test(s)).length, 0)
    assert.deepEqual(server.notes(jobId), [...before, ...notes])
  }))

test('a dead hotspot (connections hang): the alert shows, a note waits, then uploads once', (t) =>
  webkit.run(t, async (browser) => {
    rig.proxy.restore()
    await signIn(browser, rig.proxy.url)
    const jobId = await openFirstJob(browser)
    const title = (await texts(browser, 'job-title'))[0]
    const before = server.notes(jobId)

    rig.proxy.cut('hang')
    await browser.navigate().refresh()
    await eventually(async () => (await texts(browser, 'job-title'))[0] === title, 'the job screen')
    assert.equal(await browser.executeScript(() => navigator.onLine), true)
    // Nothing fails outright: only the app's own time limits can tell. A technician must not
    // be shown "Online" for the length of the longest request (the 30 s pull).
    await eventually(
      async () => (await texts(browser, 'offline-alert')).length > 0,
      'the offline alert on a hanging link',
      10_000,
    )
    const note = 'Written on a dead hotspot'
    await addNote(browser, note)
    assert.match(await noteRow(browser, note), /Queued/)
    // The note is marked Queued the moment it is committed; the pill counts from the queue list,
    // which answers the same commit a moment later: waited for, not read at once.
    await eventually(
      async () => JSON.stringify(await texts(browser, 'pending-count')) === '["1"]',
      'the pill to count the note',
      10_000,
    )

    rig.proxy.restore()
    await eventually(
      async () => (await texts(browser, 'pending-count')).length === 0,
      'the pending count to clear',
      45_000,
    )
    assert.doesNotMatch(await noteRow(browser, note), /Queued|Uploading/)
    assert.deepEqual(server.notes(jobId), [...before, note])
  }))
