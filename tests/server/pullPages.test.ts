import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { User } from '../../protocol/auth'
import { ENTITY_TABLES } from '../../protocol/entities'
import type { PullResponse } from '../../protocol/sync'
import { decodeCursor, encodeStream, type Stream } from '../../server/sync/cursor'
import { pull } from '../../server/sync/pull'
import { pageLimits } from '../../server/sync/pullPage'
import {
  ALEX,
  DANA,
  JORDAN,
  noteAdd,
  pushAs,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

/** Small pages, so the seed's few hundred rows per technician take many. */
const PAGE = 25

let server: TestServer
let alex: string
let dana: string

beforeAll(async () => {
  server = await startTestServer({ pullPageRows: PAGE })
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

type Copy = Map<string, unknown>

async function page(cookie: string, cursor?: string): Promise<PullResponse> {
  const url = cursor ? `/api/sync/pull?cursor=${encodeURIComponent(cursor)}` : '/api/sync/pull'
  const res = await server.request(cookie, { method: 'GET', url })
  expect(res.statusCode, res.body.slice(0, 200)).toBe(200)
  return res.json()
}

/** A device: puts each page's rows over its copy, deletes the removed, keeps the cursor. */
function device() {
  const copy: Copy = new Map()
  const state = { copy, cursor: undefined as string | undefined, pages: 0 }
  const apply = (body: PullResponse) => {
    for (const r of body.removed) copy.delete(`${r.table}:${r.id}`)
    for (const table of ENTITY_TABLES) {
      for (const row of body.changes[table]) copy.set(`${table}:${row.id}`, row)
    }
    state.cursor = body.cursor
    state.pages++
  }
  return { state, apply }
}

/** Follows `more` to the end; between pages runs `between(pageNumber)` (writes meanwhile). */
async function pullAll(
  cookie: string,
  d: ReturnType<typeof device>,
  between?: (n: number) => Promise<void>,
): Promise<PullResponse[]> {
  const pages: PullResponse[] = []
  for (;;) {
    const body = await page(cookie, d.state.cursor)
    pages.push(body)
    d.apply(body)
    if (!body.more) return pages
    await between?.(pages.length)
    expect(pages.length).toBeLessThan(500)
  }
}

async function userOf(email: string): Promise<User> {
  return server.db.kysely
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
}

/** The same pull in one page (no limit), straight from pull(): what the pages must add up to. */
async function onePage(email: string, cursor: string | null = null): Promise<Copy> {
  const body = await pull(
    server.db.kysely,
    await userOf(email),
    cursor ? decodeCursor(cursor) : null,
    server.clock.now,
    pageLimits(1_000_000),
  )
  expect(body.more).toBe(false)
  const d = device()
  d.apply(body)
  return d.state.copy
}

const rows = (body: PullResponse) =>
  Object.values(body.changes).reduce((n, list) => n + list.length, 0) + body.removed.length

describe('paged pull', () => {
  it("pages a technician's cold pull: bounded pages that add up to the whole scope", async () => {
    const d = device()
    const pages = await pullAll(alex, d)
    expect(pages.length).toBeGreaterThan(5)
    for (const p of pages) expect(rows(p)).toBeLessThanOrEqual(PAGE)
    expect(pages.slice(0, -1).every((p) => p.more && p.cursor.startsWith('p.'))).toBe(true)
    const last = pages.at(-1) as PullResponse
    expect(last.cursor).toMatch(/^\d+\.\d+$/)
    expect(d.state.copy).toEqual(await onePage(ALEX))
    // The total was told on the first page, and every page repeats it.
    const total = pages[0]?.total as number
    expect(total).toBe((await onePage(ALEX)).size)
    expect(pages.every((p) => p.total === total)).toBe(true)
  })

  it('never sends a row before what it refers to', async () => {
    const seen = new Set<string>()
    const d = device()
    for (const p of await pullAll(alex, d)) {
      for (const table of ENTITY_TABLES) {
        for (const row of p.changes[table] as Array<{ id: string }>) {
          seen.add(`${table}:${row.id}`)
        }
      }
      for (const job of p.changes.jobs) {
        expect(seen.has(`customers:${job.customerId}`)).toBe(true)
        for (const label of job.labelIds) expect(seen.has(`labels:${label}`)).toBe(true)
      }
      for (const table of ['appointments', 'notes', 'jobForms', 'attachments'] as const) {
        for (const row of p.changes[table]) expect(seen.has(`jobs:${row.jobId}`), table).toBe(true)
      }
      for (const payment of p.changes.payments) {
        expect(seen.has(`invoices:${payment.invoiceId}`)).toBe(true)
      }
    }
  })

  it("pages a dispatcher's pull the same way", async () => {
    const d = device()
    const pages = await pullAll(dana, d)
    expect(pages.length).toBeGreaterThan(10)
    for (const p of pages) expect(rows(p)).toBeLessThanOrEqual(PAGE)
    expect(d.state.copy).toEqual(await onePage(DANA))
    // The office's scope is not counted (it would cost a pull's worth of work).
    expect(pages[0]?.total).toBeNull()
  })

  it('resumes a pull cut between pages from the last cursor kept, and sends the same page again', async () => {
    const first = await page(alex)
    const second = await page(alex, first.cursor)
    const again = await page(alex, first.cursor)
    expect(again.changes).toEqual(second.changes)
    const d = device()
    d.apply(first)
    d.apply(again)
    await pullAll(alex, d)
    expect(d.state.copy).toEqual(await onePage(ALEX))
  })

  it('pages a delta: removals, changed rows and jobs reassigned in, like one answer', async () => {
    const base = device()
    await pullAll(alex, base)
    const cursor = base.state.cursor as string
    const jobs = [...base.state.copy.values()].filter(
      (r): r is { id: string; number: number } =>
        typeof r === 'object' && r !== null && 'technicianId' in r,
    )
    const [a, b, c] = [jobs[0]!, jobs[1]!, jobs[2]!]
    await pushAs(
      server,
      alex,
      randomUUID(),
      [a, b, c].map((job, i) => noteAdd(job.id, i + 1, `delta ${i}`)),
    )
    const samId = await server.userId(SAM)
    const alexId = await server.userId(ALEX)
    const reassign = (jobId: string, technicianId: string) =>
      server.request(dana, {
        method: 'PATCH',
        url: `/api/dispatch/jobs/${jobId}`,
        payload: { technicianId },
      })
    await reassign(b.id, samId) // away
    await reassign(c.id, samId) // away and back: not removed
    await reassign(c.id, alexId)
    const samJob = await server.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('technician_id', '=', samId)
      .where('id', '!=', b.id)
      .orderBy('number', 'desc')
      .executeTakeFirstOrThrow()
    await reassign(samJob.id, alexId) // in

    const delta = device()
    delta.state.cursor = cursor
    const pages = await pullAll(alex, delta)
    for (const p of pages) expect(rows(p)).toBeLessThanOrEqual(PAGE)
    const removed = pages.flatMap((p) => p.removed.map((r) => r.id))
    expect(removed).toContain(b.id)
    expect(removed).not.toContain(c.id)
    expect(delta.state.copy).toEqual(await onePage(ALEX, cursor))

    // Applied over the device's copy, the delta gives what a cold pull gives.
    for (const p of pages) base.apply(p)
    expect(base.state.copy).toEqual(await onePage(ALEX))
    await reassign(samJob.id, samId)
    await reassign(b.id, alexId)
  })

  it('converges when the office writes between pages: the next delta brings what a page missed', async () => {
    const alexId = await server.userId(ALEX)
    const jordanId = await server.userId(JORDAN)
    const byId = (technicianId: string, order: 'asc' | 'desc') =>
      server.db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('technician_id', '=', technicianId)
        .orderBy('id', order)
        .executeTakeFirstOrThrow()
    const reassign = async (jobId: string, technicianId: string) => {
      const res = await server.request(dana, {
        method: 'PATCH',
        url: `/api/dispatch/jobs/${jobId}`,
        payload: { technicianId },
      })
      expect(res.statusCode).toBe(200)
    }
    const d = device()
    await pullAll(alex, d, async (n) => {
      // A job not sent yet leaves; one whose place was passed arrives; a sent one gets a note.
      if (n === 1) await reassign((await byId(alexId, 'desc')).id, jordanId)
      if (n === 2) await reassign((await byId(jordanId, 'asc')).id, alexId)
      if (n === 3) {
        const job = await byId(alexId, 'asc')
        await pushAs(server, alex, randomUUID(), [noteAdd(job.id, 1, 'between pages')])
      }
    })
    expect(d.state.pages).toBeGreaterThan(3)
    await pullAll(alex, d) // the next delta
    expect(d.state.copy).toEqual(await onePage(ALEX))
  })

  it('refuses a page cursor it did not make, and restarts one from the future', async () => {
    for (const cursor of ['p.garbage', 'p.', `p.${Buffer.from('{"x":1}').toString('base64url')}`]) {
      const res = await server.request(alex, {
        method: 'GET',
        url: `/api/sync/pull?cursor=${encodeURIComponent(cursor)}`,
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toBe('invalid_cursor')
    }
    const first = await page(alex)
    const stream = decodeCursor(first.cursor) as Stream
    const future = encodeStream({ ...stream, rev: stream.rev + 1_000_000 })
    const restarted = await page(alex, future)
    expect(restarted.changes).toEqual(first.changes)
    // A window end no finished cursor can write (16 digits) is refused up front, not carried
    // into a cursor the next pull would refuse.
    for (const big of [{ windowTo: Number.MAX_SAFE_INTEGER }, { rev: Number.MAX_SAFE_INTEGER }]) {
      const res = await server.request(alex, {
        method: 'GET',
        url: `/api/sync/pull?cursor=${encodeURIComponent(encodeStream({ ...stream, ...big }))}`,
      })
      expect(res.statusCode).toBe(400)
      expect(res.json().error).toBe('invalid_cursor')
    }
  })
})
