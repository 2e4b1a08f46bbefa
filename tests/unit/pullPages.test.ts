import { v4 as uuid } from 'uuid'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { prefetchFirstPage } from '../../offline/firstPage'
import { preload } from '../../offline/preload'
import { pull } from '../../offline/pull'
import type { Note } from '../../protocol/entities'
import type { PullResponse } from '../../protocol/sync'
import { freshDb, tech } from './helpers'

afterEach(() => vi.unstubAllGlobals())

/** Three pages of notes on one job, then a finished cursor; `total` as a technician's pull. */
function pages(jobId: string): Map<string | null, PullResponse> {
  const note = (n: number): Note => ({
    id: uuid(),
    jobId,
    authorId: tech.id,
    authorName: tech.name,
    body: `note ${n}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  })
  const page = (notes: Note[], cursor: string, more: boolean): PullResponse => ({
    cursor,
    more,
    total: 9,
    serverTime: new Date().toISOString(),
    removed: [],
    changes: {
      customers: [],
      jobs: [],
      appointments: [],
      notes,
      labels: [],
      jobForms: [],
      attachments: [],
      estimates: [],
      invoices: [],
      payments: [],
      signatures: [],
    },
  })
  return new Map([
    [null, page([note(1), note(2), note(3)], 'p.one', true)],
    ['p.one', page([note(4), note(5), note(6)], 'p.two', true)],
    ['p.two', page([note(7), note(8), note(9)], '7.99', false)],
  ])
}

/** A stand-in server: answers pages by cursor; `cut` makes the request for that cursor fail. */
function serve(answers: Map<string | null, PullResponse>, cut: Set<string | null> = new Set()) {
  const asked: Array<string | null> = []
  vi.stubGlobal('fetch', async (url: string) => {
    const cursor = new URL(url, 'http://x').searchParams.get('cursor')
    asked.push(cursor)
    if (cut.has(cursor)) {
      cut.delete(cursor)
      throw new TypeError('Failed to fetch')
    }
    const body = answers.get(cursor)
    if (!body) {
      return new Response(JSON.stringify({ error: 'invalid_cursor', message: 'No.' }), {
        status: 400,
      })
    }
    return new Response(JSON.stringify(body), { status: 200 })
  })
  return asked
}

describe('paged pull on the device', () => {
  it('follows more: true page after page, keeping the cursor of each page written', async () => {
    const { db, jobs } = await freshDb()
    const asked = serve(pages(jobs[0]!.id))
    const written: Array<[number, number | null]> = []
    const report = await pull(db, tech, { onWritten: (n, total) => written.push([n, total]) })
    expect(report).toMatchObject({ outcome: 'done', changed: 9, pages: 3 })
    expect(asked).toEqual([null, 'p.one', 'p.two'])
    expect(await db.notes.count()).toBe(9)
    expect(await db.getMeta('cursor')).toBe('7.99')
    expect(written).toEqual([
      [3, 9],
      [6, 9],
      [9, 9],
    ])
  })

  it('a pull cut halfway keeps the pages written, and the next resumes after them', async () => {
    const { db, jobs } = await freshDb()
    const asked = serve(pages(jobs[0]!.id), new Set(['p.two']))
    expect((await pull(db, tech)).outcome).toBe('offline')
    expect(await db.notes.count()).toBe(6)
    expect(await db.getMeta('cursor')).toBe('p.two')
    const again = await pull(db, tech)
    expect(again).toMatchObject({ outcome: 'done', changed: 3 })
    expect(asked).toEqual([null, 'p.one', 'p.two', 'p.two'])
    expect(await db.notes.count()).toBe(9)
    expect(await db.getMeta('cursor')).toBe('7.99')
  })

  it('downloads the next page while writing the current one', async () => {
    const { db, jobs } = await freshDb()
    const answers = pages(jobs[0]!.id)
    const cursorWhenAsked: unknown[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      const cursor = new URL(url, 'http://x').searchParams.get('cursor')
      cursorWhenAsked.push(await db.getMeta('cursor'))
      return new Response(JSON.stringify(answers.get(cursor)), { status: 200 })
    })
    await pull(db, tech)
    // Page two was asked for before page one's cursor was written, and so on.
    expect(cursorWhenAsked).toEqual([undefined, undefined, 'p.one'])
  })

  it('begins again when the server cannot read the stored cursor', async () => {
    const { db, jobs } = await freshDb()
    await db.setMeta('cursor', 'p.from-another-version')
    const asked = serve(pages(jobs[0]!.id))
    expect((await pull(db, tech)).outcome).toBe('done')
    expect(asked).toEqual(['p.from-another-version', null, 'p.one', 'p.two'])
    expect(await db.notes.count()).toBe(9)
  })

  it('pre-load shows entities written out of the total', async () => {
    const { db, jobs } = await freshDb()
    serve(pages(jobs[0]!.id))
    const seen: string[] = []
    await preload(db, tech, {
      fullFiles: false,
      onProgress: (p) => {
        if (p.unit === 'items') seen.push(`${p.done}/${p.total}`)
      },
    })
    expect(seen).toEqual(['3/9', '6/9', '9/9'])
  })

  it('takes the first page the sign-in started, instead of asking for it again', async () => {
    const { db, jobs } = await freshDb()
    const asked = serve(pages(jobs[0]!.id))
    prefetchFirstPage(db)
    expect(asked).toEqual([null])
    expect(await pull(db, tech)).toMatchObject({ outcome: 'done', changed: 9, pages: 3 })
    expect(asked).toEqual([null, 'p.one', 'p.two'])
    expect(await db.getMeta('cursor')).toBe('7.99')
  })

  it('starts from the cursor, not the early first page, on a device that has one', async () => {
    const { db, jobs } = await freshDb()
    await db.setMeta('cursor', 'p.one')
    const asked = serve(pages(jobs[0]!.id))
    prefetchFirstPage(db)
    expect(await pull(db, tech)).toMatchObject({ outcome: 'done', changed: 6, pages: 2 })
    expect(asked).toEqual([null, 'p.one', 'p.two'])
    expect(await db.notes.count()).toBe(6)
  })

  it("never writes another technician's early page, and asks again when it was lost", async () => {
    const other = await freshDb()
    const { db, jobs } = await freshDb()
    const asked = serve(pages(jobs[0]!.id), new Set([null]))
    prefetchFirstPage(other.db)
    expect((await pull(db, tech)).outcome).toBe('done')
    expect(asked).toEqual([null, null, 'p.one', 'p.two'])
    expect(await other.db.notes.count()).toBe(0)
    expect(await db.notes.count()).toBe(9)
    const again = await freshDb()
    const cut = serve(pages(jobs[0]!.id), new Set([null]))
    prefetchFirstPage(again.db)
    expect((await pull(again.db, tech)).outcome).toBe('done')
    expect(cut).toEqual([null, null, 'p.one', 'p.two'])
    expect(await again.db.notes.count()).toBe(9)
  })
})
