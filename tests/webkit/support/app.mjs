// @ts-check
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { By, eventually } from './webkit.mjs'

/** @typedef {import('selenium-webdriver').WebDriver} WebDriver */

export const TECH = { email: 'alex@fieldline.test', password: 'fieldline' }

/**
 * Clicks like a finger: the element is scrolled to the middle first, so the fixed top bar,
 * offline alert and bottom navigation do not cover it.
 * @param {WebDriver} driver
 * @param {import('selenium-webdriver').Locator} locator
 */
export async function tap(driver, locator) {
  const el = await driver.findElement(locator)
  await driver.executeScript(
    (/** @type {Element} */ e) => e.scrollIntoView({ block: 'center' }),
    el,
  )
  await el.click()
}

/**
 * Texts of the elements with a test id (empty when none), read in the page in one round trip.
 * @param {WebDriver} driver
 * @param {string} testId
 * @returns {Promise<string[]>}
 */
export function texts(driver, testId) {
  return driver.executeScript(
    (/** @type {string} */ id) =>
      Array.from(document.querySelectorAll(`[data-testid="${id}"]`), (e) =>
        (e.textContent ?? '').trim(),
      ),
    testId,
  )
}

/**
 * Whether the service worker controls the page; resolves on `controllerchange` (on a first
 * visit `controller` is still null right after `ready` in WebKit).
 * @param {WebDriver} driver
 * @returns {Promise<boolean>}
 */
export function swControls(driver) {
  return driver.executeAsyncScript((/** @type {(v: boolean) => void} */ done) => {
    if (navigator.serviceWorker.controller) return done(true)
    navigator.serviceWorker.addEventListener('controllerchange', () =>
      done(navigator.serviceWorker.controller !== null),
    )
    setTimeout(() => done(navigator.serviceWorker.controller !== null), 15_000)
  })
}

/**
 * First visit online: sign in, wait until the service worker controls the page and the first
 * pull has filled the local database (today's list shows).
 * @param {WebDriver} driver
 * @param {string} baseUrl
 */
export async function signIn(driver, baseUrl, who = TECH) {
  await driver.get(`${baseUrl}/`)
  const email = await eventually(
    async () =>
      (await driver.findElements(By.xpath('//label[normalize-space(text())="Email"]//input')))[0],
    'the sign-in form',
  )
  await email.sendKeys(who.email)
  await driver
    .findElement(By.xpath('//label[normalize-space(text())="Password"]//input'))
    .sendKeys(who.password)
  await driver.findElement(By.xpath('//button[normalize-space()="Sign in"]')).click()
  await eventually(
    async () => (await texts(driver, 'visit')).length > 0,
    "today's visits after sign-in",
    20_000,
  )
  if (!(await swControls(driver))) throw new Error('the service worker never controlled the page')
}

/**
 * Opens the first of today's visits; returns the job id from the hash route.
 * @param {WebDriver} driver
 */
export async function openFirstJob(driver) {
  await tap(driver, By.css('[data-testid="visit"]'))
  await eventually(async () => (await texts(driver, 'job-title')).length > 0, 'the job screen')
  const url = new URL(await driver.getCurrentUrl())
  const id = decodeURIComponent(url.hash.replace('#/job/', ''))
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`not a job route: ${url.hash}`)
  return id
}

/**
 * Types a note and saves it; waits until it shows.
 * @param {WebDriver} driver
 * @param {string} text
 */
export async function addNote(driver, text) {
  const box = await driver.findElement(By.css('textarea[placeholder="Add a note…"]'))
  await box.clear()
  await box.sendKeys(text)
  await tap(driver, By.xpath('//button[normalize-space()="Save note"]'))
  await eventually(
    async () => (await texts(driver, 'note')).some((t) => t.includes(text)),
    `the note "${text}" on screen`,
  )
}

/** A 1×1 PNG: WebKitGTK decodes it, so the app resizes and re-encodes it like a camera photo. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
)

/**
 * Adds a photo through the job's file input (WebDriver types the file's path into it).
 * @param {WebDriver} driver
 * @param {string} name
 */
export async function addPhoto(driver, name) {
  const dir = mkdtempSync(join(tmpdir(), 'fieldline-photo-'))
  const file = join(dir, name)
  writeFileSync(file, PNG)
  const input = await driver.findElement(By.css('[data-testid="photo-input"]'))
  // WebDriver only types into a file input a user could see: unhide it for the test.
  await driver.executeScript(
    (/** @type {HTMLElement} */ e) => e.classList.remove('visually-hidden'),
    input,
  )
  await input.sendKeys(file)
}
