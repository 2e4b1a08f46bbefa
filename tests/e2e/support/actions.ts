import { isDeepStrictEqual } from 'node:util'
import type { BrowserContext, Page } from '@playwright/test'
import { apiAs, DISPATCHER, expect, type TestServer } from './fixtures'

/**
 * Helpers for the offline-action specs (tests/e2e/actions*.spec.ts): what the device holds,
 * what the server holds, what went over the wire, and the few gestures (drawing a signature,
 * filling a document) that several specs share.
 */

export type Row = Record<string, unknown>

/** Everything the device holds about one job, read straight from its IndexedDB. */
export interface DeviceJob {
  job: Row | undefined
  appointments: Row[]
  notes: Row[]
  labels: Row[]
  jobForms: Row[]
  attachments: Row[]
  estimates: Row[]
  invoices: Row[]
  payments: Row[]
  signatures: Row[]
  outbox: Row[]
}

export async function deviceJob(page: Page, jobId: string): Promise<DeviceJob> {
  return page.evaluate(async (id) => {
    const name = (await indexedDB.databases()).find((d) =>
      d.name?.startsWith('fieldline-user-'),
    )?.name
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name as string)
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
    const tables = [
      'jobs',
      'appointments',
      'notes',
      'labels',
      'jobForms',
      'attachments',
      'estimates',
      'invoices',
      'payments',
      'signatures',
      'outbox',
    ]
    const tx = db.transaction(tables)
    const all = async (t: string) =>
      new Promise<Record<string, unknown>[]>((resolve) => {
        const r = tx.objectStore(t).getAll()
        r.onsuccess = () => resolve(r.result)
      })
    const out: Record<string, unknown> = {}
    for (const t of tables) {
      const rows = await all(t)
      out[t] =
        t === 'labels' || t === 'outbox' || t === 'jobs' ? rows : rows.filter((r) => r.jobId === id)
    }
    db.close()
    const jobs = out.jobs as Record<string, unknown>[]
    return { ...out, job: jobs.find((j) => j.id === id) } as never
  }, jobId)
}

/** The office's view of a job with all its children (GET /api/dispatch/jobs/:id). */
export interface ServerJob {
  job: Row & { labelIds: string[] }
  appointments: Row[]
  notes: Row[]
  form: (Row & { answers: Record<string, unknown> }) | null
  attachments: Row[]
  estimates: Row[]
  invoices: Array<Row & { balanceCents: number }>
  payments: Row[]
  signatures: Row[]
  labels: Row[]
}

export async function serverJob(server: TestServer, jobId: string): Promise<ServerJob> {
  const office = await apiAs(server, DISPATCHER)
  return office.get<ServerJob>(`/api/dispatch/jobs/${jobId}`)
}

const pick = (row: Row | undefined | null, keys: string[]) =>
  row ? Object.fromEntries(keys.map((k) => [k, row[k] ?? null])) : null
const byId = (a: Row, b: Row) => String(a.id).localeCompare(String(b.id))
const sorted = (rows: Row[], keys: string[]) =>
  [...rows].sort(byId).map((r) => pick(r, keys) as Row)

const KEYS = {
  job: ['id', 'title', 'description', 'status', 'labelIds', 'version'],
  appointments: ['id', 'startsAt', 'endsAt', 'status', 'version'],
  notes: ['id', 'body'],
  form: ['id', 'answers', 'version'],
  attachments: ['id', 'kind', 'filename', 'mimeType', 'size', 'sha256'],
  estimates: ['id', 'number', 'status', 'lineItems', 'taxRateBps', 'version'],
  invoices: ['id', 'number', 'status', 'lineItems', 'taxRateBps', 'estimateId', 'version'],
  payments: ['id', 'invoiceId', 'method', 'amountCents', 'reference'],
  signatures: ['id', 'subjectType', 'subjectId', 'signerName', 'image'],
  labels: ['id', 'name', 'color'],
}

/** One comparable shape for both sides: ids, line items, statuses, amounts, answers, times… */
export function comparable(side: DeviceJob | ServerJob) {
  const device = 'jobForms' in side
  const job = side.job as Row & { labelIds: string[] }
  const allLabels = side.labels
  const form = device ? (side as DeviceJob).jobForms[0] : (side as ServerJob).form
  return {
    job: { ...pick(job, KEYS.job), labelIds: [...(job?.labelIds ?? [])].sort() },
    appointments: sorted(side.appointments, KEYS.appointments),
    notes: sorted(side.notes, KEYS.notes),
    form: pick(form, KEYS.form),
    attachments: sorted(side.attachments, KEYS.attachments),
    estimates: sorted(side.estimates, KEYS.estimates),
    invoices: sorted(side.invoices, KEYS.invoices),
    payments: sorted(side.payments, KEYS.payments),
    signatures: sorted(side.signatures, KEYS.signatures),
    labels: sorted(
      allLabels.filter((l) => job?.labelIds.includes(String(l.id))),
      KEYS.labels,
    ),
  }
}

/**
 * Waits until the queue is empty and the device, after a pull, holds exactly what the server
 * holds about the job. Returns the server's view. Both sides are read again on every try: an
 * empty pending count can be seen just before a tap's action is queued (a conflict's "Keep
 * mine"), and the server then moves on once more; a single early read of the server would be
 * compared with a device that is, rightly, ahead of it.
 */
export async function expectDeviceMatchesServer(
  page: Page,
  server: TestServer,
  jobId: string,
): Promise<ServerJob> {
  await expect(page.getByTestId('pending-count')).toHaveCount(0, { timeout: 30_000 })
  await page.getByTestId('refresh').first().click()
  let truth = await serverJob(server, jobId)
  let local = await deviceJob(page, jobId)
  const same = () =>
    local.outbox.length === 0 && isDeepStrictEqual(comparable(local), comparable(truth))
  await expect
    .poll(
      async () => {
        truth = await serverJob(server, jobId)
        local = await deviceJob(page, jobId)
        return same()
      },
      { timeout: 20_000 },
    )
    .toBe(true)
    .catch(() => {})
  // On a timeout, the last reads side by side say what differs.
  expect(comparable(local)).toEqual(comparable(truth))
  expect(local.outbox).toEqual([])
  return truth
}

/** How many times the server applied each action name (processed_mutations). */
export function appliedCounts(server: TestServer): Record<string, number> {
  const rows = server.sql<{ name: string; n: number }>(
    "SELECT name, COUNT(*) AS n FROM processed_mutations WHERE status = 'applied' GROUP BY name",
  )
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]))
}

export interface WireEvent {
  kind: 'push' | 'file'
  /** push: the names and ids of the mutations in order; file: the attachment id. */
  names: string[]
  ids: string[]
  mutations: Array<{ id: string; name: string; args: Record<string, unknown>; seq: number }>
  at: number
}

/**
 * Records every push and every file upload, from the page or the service worker, in the order
 * they leave the device. `onFile` runs when a file upload is about to go out (before it
 * reaches the server), e.g. to look at what the server holds at that moment or to slow it.
 */
export async function recordWire(
  context: BrowserContext,
  opts: { onFile?: (id: string) => Promise<void> | void } = {},
): Promise<WireEvent[]> {
  const events: WireEvent[] = []
  await context.route('**/api/sync/push', async (route) => {
    const body = route.request().postDataJSON() as { mutations: WireEvent['mutations'] }
    events.push({
      kind: 'push',
      names: body.mutations.map((m) => m.name),
      ids: body.mutations.map((m) => m.id),
      mutations: body.mutations,
      at: Date.now(),
    })
    await route.continue()
  })
  await context.route('**/api/attachments/**', async (route) => {
    const req = route.request()
    if (req.method() === 'PUT') {
      const id = decodeURIComponent(/attachments\/([^/]+)\/file/.exec(req.url())?.[1] ?? '')
      events.push({ kind: 'file', names: ['file'], ids: [id], mutations: [], at: Date.now() })
      await opts.onFile?.(id)
    }
    await route.continue()
  })
  return events
}

/** All pushed mutations, flattened in the order they went out. */
export const pushed = (events: WireEvent[]) =>
  events.filter((e) => e.kind === 'push').flatMap((e) => e.mutations)

/** Draws a squiggle on the signature canvas with the mouse (pointer events, as a finger). */
export async function drawSignature(page: Page): Promise<void> {
  const pad = page.getByTestId('signature-pad')
  await expect(pad).toBeVisible()
  const box = await pad.boundingBox()
  if (!box) throw new Error('signature pad has no box')
  const y = box.y + box.height / 2
  await page.mouse.move(box.x + 20, y)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++) {
    await page.mouse.move(box.x + 20 + i * ((box.width - 40) / 12), y + (i % 2 ? -25 : 25))
  }
  await page.mouse.up()
}

/** Collects a signature in the open signature sheet. */
export async function sign(page: Page, signer: string): Promise<void> {
  await drawSignature(page)
  await page.getByLabel("Signer's name").fill(signer)
  await page.getByRole('button', { name: 'Save signature' }).click()
  await expect(page.getByTestId('signature-pad')).toHaveCount(0)
}

export interface Line {
  description: string
  quantity: string
  price: string
}

/** Fills the document editor's lines (adding rows as needed) and the tax rate. */
export async function fillLines(page: Page, lines: Line[], taxPercent?: string): Promise<void> {
  const rows = page.getByTestId('line-item')
  while ((await rows.count()) < lines.length) {
    await page.getByRole('button', { name: '+ Add line' }).click()
  }
  for (const [i, l] of lines.entries()) {
    const row = rows.nth(i)
    await row.getByLabel('Description').fill(l.description)
    await row.getByLabel('Quantity').fill(l.quantity)
    await row.getByLabel('Unit price').fill(l.price)
  }
  if (taxPercent !== undefined) await page.getByLabel('Tax rate (%)').fill(taxPercent)
}

/** The id at the end of the current #/job/<job>/<kind>/<id> route. */
export function docIdFromUrl(page: Page): string {
  const parts = new URL(page.url()).hash.split('/')
  return decodeURIComponent(parts[parts.length - 1] ?? '')
}

/** Waits until the document screen shows a saved document (not "new") and returns its id. */
export async function waitForDoc(page: Page, kind: 'estimate' | 'invoice'): Promise<string> {
  await expect(page).toHaveURL(new RegExp(`/${kind}/(?!new)[0-9a-f-]{36}$`))
  await expect(page.getByTestId('doc-editor')).toBeVisible()
  return docIdFromUrl(page)
}

/** Turns "Offline Photos Enabled" on in Settings → Offline Settings, then goes back. */
export async function enableOfflinePhotos(page: Page): Promise<void> {
  const back = page.url()
  await page.goto('/#/settings/offline')
  const box = page.getByTestId('setting-offlinePhotosEnabled')
  await box.check()
  await expect(box).toBeChecked()
  await page.goto(back)
}

/** A signed-in cookie for raw requests (e.g. downloading a stored file as bytes). */
export async function cookieOf(
  server: TestServer,
  who: { email: string; password: string },
): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/signin`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  })
  if (!res.ok) throw new Error(`sign-in failed: ${res.status}`)
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

export async function downloadAs(
  server: TestServer,
  who: { email: string; password: string },
  path: string,
): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(`${server.url}${path}`, {
    headers: { cookie: await cookieOf(server, who) },
  })
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  }
}

/** A minimal valid PDF. */
export function makePdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% ${text}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  )
}
