import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENTITY_TABLES } from '../../protocol/entities'
import type { PullResponse } from '../../protocol/sync'
import { syncWindow } from '../../protocol/window'
import {
  ALEX,
  DANA,
  JORDAN,
  noteAdd,
  richJob,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

let server: TestServer
let alex: string
let sam: string
let dana: string

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  sam = await server.signIn(SAM)
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

async function pull(cookie: string, cursor?: string): Promise<PullResponse> {
  const url = cursor ? `/api/sync/pull?cursor=${encodeURIComponent(cursor)}` : '/api/sync/pull'
  const res = await server.request(cookie, { method: 'GET', url })
  expect(res.statusCode).toBe(200)
  expect(res.headers['cache-control']).toBe('no-store')
  return res.json()
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id)

describe('pull', () => {
  it("sends a technician's whole scope first, and only theirs", async () => {
    const alexId = await server.userId(ALEX)
    const body = await pull(alex)
    expect(body.more).toBe(false)
    expect(body.removed).toEqual([])
    expect(body.cursor).toMatch(/^\d+\.\d+$/)
    expect(body.changes.jobs.length).toBeGreaterThan(50)
    expect(body.changes.jobs.every((j) => j.technicianId === alexId)).toBe(true)

    const jobIds = new Set(ids(body.changes.jobs))
    expect(body.changes.appointments.every((a) => jobIds.has(a.jobId))).toBe(true)
    expect(body.changes.notes.every((n) => jobIds.has(n.jobId))).toBe(true)
    const customerIds = new Set(ids(body.changes.customers))
    expect(body.changes.jobs.every((j) => customerIds.has(j.customerId))).toBe(true)

    // Every job has an appointment inside the window.
    const window = syncWindow(server.clock.now)
    for (const job of body.changes.jobs) {
      const inWindow = body.changes.appointments.some(
        (a) => a.jobId === job.id && a.startsAt >= window.from && a.startsAt < window.to,
      )
      expect(inWindow).toBe(true)
    }
    // Protocol shapes.
    expect(body.changes.customers[0]).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      phones: expect.any(Array),
      email: expect.toSatisfy((e) => e === null || typeof e === 'string'),
      address: expect.any(String),
      version: 1,
    })
    expect(Object.keys(body.changes.notes[0] ?? {}).sort()).toEqual(
      ['authorId', 'authorName', 'body', 'createdAt', 'id', 'jobId'].sort(),
    )
  })

  it('sends every entity type, each tied to a job in scope', async () => {
    const body = await pull(alex)
    for (const table of ENTITY_TABLES) {
      expect(body.changes[table].length, table).toBeGreaterThan(0)
    }
    const jobIds = new Set(ids(body.changes.jobs))
    for (const table of [
      'jobForms',
      'attachments',
      'estimates',
      'invoices',
      'payments',
      'signatures',
    ] as const) {
      for (const row of body.changes[table]) expect(jobIds.has(row.jobId), table).toBe(true)
    }
    expect(body.changes.labels.map((l) => l.name)).toEqual(
      expect.arrayContaining(['Warranty', 'Urgent', 'VIP', 'Estimate pending']),
    )
    const labelIds = new Set(ids(body.changes.labels))
    expect(body.changes.jobs.every((j) => j.labelIds.every((id) => labelIds.has(id)))).toBe(true)
    const photo = body.changes.attachments.find((a) => a.kind === 'photo')
    expect(photo?.thumbnail).toMatch(/^data:image\/png;base64,/)
    expect(body.changes.attachments.find((a) => a.kind === 'pdf')?.thumbnail).toBeNull()

    // The rich job of today has one of everything.
    const rich = await richJob(server)
    const of = <T extends { jobId: string }>(rows: T[]) => rows.filter((r) => r.jobId === rich.id)
    expect(
      of(body.changes.attachments)
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['pdf', 'photo', 'photo'])
    expect(of(body.changes.estimates)).toHaveLength(1)
    expect(of(body.changes.invoices)).toHaveLength(1)
    expect(of(body.changes.payments)).toHaveLength(1)
    expect(of(body.changes.signatures)).toHaveLength(1)
    expect(of(body.changes.jobForms)).toHaveLength(1)
    expect(body.changes.jobs.find((j) => j.id === rich.id)?.labelIds).toHaveLength(2)
  })

  it("never shows a row from another technician's scope", async () => {
    const alexBody = await pull(alex)
    const samBody = await pull(sam)
    const samJobs = new Set(ids(samBody.changes.jobs))
    expect(alexBody.changes.jobs.some((j) => samJobs.has(j.id))).toBe(false)
    for (const table of ENTITY_TABLES) {
      if (table === 'labels' || table === 'customers') continue // shared by design
      const samIds = new Set(ids(samBody.changes[table]))
      expect(
        alexBody.changes[table].some((row) => samIds.has(row.id)),
        table,
      ).toBe(false)
    }
  })

  it('sends nothing new in a delta when nothing changed', async () => {
    const first = await pull(alex)
    const delta = await pull(alex, first.cursor)
    expect(delta.changes).toEqual(Object.fromEntries(ENTITY_TABLES.map((t) => [t, []])))
    expect(delta.removed).toEqual([])
    expect(delta.cursor).toBe(first.cursor)
  })

  it("sends a dispatcher-created appointment in the technician's next delta", async () => {
    const first = await pull(alex)
    const job = first.changes.jobs[0]
    if (!job) throw new Error('no job')
    const startsAt = new Date(server.clock.now.getTime() + 2 * 3600_000)
    const res = await server.request(dana, {
      method: 'POST',
      url: '/api/dispatch/appointments',
      payload: {
        jobId: job.id,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
      },
    })
    expect(res.statusCode).toBe(201)
    const created = res.json().appointment

    const delta = await pull(alex, first.cursor)
    expect(delta.changes.appointments).toContainEqual(created)
    expect(ids(delta.changes.jobs)).toContain(job.id)
    const [rev] = delta.cursor.split('.')
    expect(Number(rev)).toBeGreaterThan(Number(first.cursor.split('.')[0]))

    // Sam hears nothing of it.
    const samFirst = await pull(sam)
    expect(ids(samFirst.changes.appointments)).not.toContain(created.id)
  })

  it('sends pushed notes in the next delta', async () => {
    const first = await pull(alex)
    const job = first.changes.jobs[0]
    if (!job) throw new Error('no job')
    const m = noteAdd(job.id, 1, 'Delta note')
    await server.request(alex, {
      method: 'POST',
      url: '/api/sync/push',
      payload: { deviceId: randomUUID(), mutations: [m] },
    })
    const delta = await pull(alex, first.cursor)
    expect(delta.changes.notes.map((n) => n.body)).toEqual(['Delta note'])
  })

  it('moves a reassigned job: removed for the old technician, whole for the new one', async () => {
    const alexFirst = await pull(alex)
    const jordan = await server.signIn(JORDAN)
    const jordanFirst = await pull(jordan)
    const job = alexFirst.changes.jobs.find((j) =>
      alexFirst.changes.notes.some((n) => n.jobId === j.id),
    )
    if (!job) throw new Error('no job with notes')
    const appointments = alexFirst.changes.appointments.filter((a) => a.jobId === job.id)
    const notes = alexFirst.changes.notes.filter((n) => n.jobId === job.id)

    const res = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { technicianId: await server.userId(JORDAN) },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().job.version).toBe(job.version + 1)

    const alexDelta = await pull(alex, alexFirst.cursor)
    const reason = `Job #${job.number} was reassigned to another technician.`
    expect(alexDelta.removed).toEqual(
      expect.arrayContaining([
        { table: 'jobs', id: job.id, reason },
        ...appointments.map((a) => ({ table: 'appointments', id: a.id, reason })),
        ...notes.map((n) => ({ table: 'notes', id: n.id, reason })),
      ]),
    )
    expect(ids(alexDelta.changes.jobs)).not.toContain(job.id)

    const jordanDelta = await pull(jordan, jordanFirst.cursor)
    expect(ids(jordanDelta.changes.jobs)).toEqual([job.id])
    expect(ids(jordanDelta.changes.appointments).sort()).toEqual(ids(appointments).sort())
    expect(ids(jordanDelta.changes.notes).sort()).toEqual(ids(notes).sort())
    expect(ids(jordanDelta.changes.customers)).toEqual([job.customerId])
    expect(jordanDelta.removed).toEqual([])

    // Back to Alex: the job returns as changes, and is no longer listed as removed.
    await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { technicianId: await server.userId(ALEX) },
    })
    const alexAgain = await pull(alex, alexFirst.cursor)
    expect(ids(alexAgain.changes.jobs)).toContain(job.id)
    expect(alexAgain.removed.map((r) => r.id)).not.toContain(job.id)
  })

  it("removes a reassigned job's forms, files, documents and signatures, and sends them whole", async () => {
    const rich = await richJob(server)
    const alexFirst = await pull(alex)
    const jordan = await server.signIn(JORDAN)
    const jordanFirst = await pull(jordan)
    const children = [
      'jobForms',
      'attachments',
      'estimates',
      'invoices',
      'payments',
      'signatures',
    ] as const
    const owned = children.flatMap((table) =>
      alexFirst.changes[table].filter((r) => r.jobId === rich.id).map((r) => ({ table, id: r.id })),
    )
    expect(owned.length).toBeGreaterThanOrEqual(8)

    await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${rich.id}`,
      payload: { technicianId: await server.userId(JORDAN) },
    })
    const alexDelta = await pull(alex, alexFirst.cursor)
    const removed = alexDelta.removed.map((r) => ({ table: r.table, id: r.id }))
    expect(removed).toEqual(expect.arrayContaining(owned))
    const jordanDelta = await pull(jordan, jordanFirst.cursor)
    const sent = children.flatMap((table) =>
      jordanDelta.changes[table].map((r) => ({ table, id: r.id })),
    )
    expect(sent).toEqual(expect.arrayContaining(owned))

    await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${rich.id}`,
      payload: { technicianId: await server.userId(ALEX) },
    })
  })

  it('sends jobs whole when they enter the window as time passes', async () => {
    const samId = await server.userId(SAM)
    // A job of Sam's whose only appointment lies just beyond today's window, written long ago
    // (revision 1), so only the window moving forward can bring it to the device.
    const template = await server.db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('technician_id', '=', samId)
      .executeTakeFirstOrThrow()
    const jobId = randomUUID()
    const first = await pull(sam)
    const oldTo = Number(first.cursor.split('.')[1])
    await server.db.kysely
      .insertInto('jobs')
      .values({ ...template, id: jobId, number: 99001, rev: 1 })
      .execute()
    const appointmentId = randomUUID()
    await server.db.kysely
      .insertInto('appointments')
      .values({
        id: appointmentId,
        job_id: jobId,
        starts_at: new Date(oldTo + 12 * 3600_000).toISOString(),
        ends_at: new Date(oldTo + 13 * 3600_000).toISOString(),
        status: 'scheduled',
        version: 1,
        rev: 1,
      })
      .execute()

    const sameDay = await pull(sam, first.cursor)
    expect(ids(sameDay.changes.jobs)).not.toContain(jobId)

    const saved = server.clock.now
    server.clock.now = new Date(saved.getTime() + 24 * 3600_000)
    try {
      const delta = await pull(sam, first.cursor)
      expect(Number(delta.cursor.split('.')[1])).toBe(Date.parse(syncWindow(server.clock.now).to))
      expect(ids(delta.changes.jobs)).toEqual([jobId])
      expect(ids(delta.changes.appointments)).toEqual([appointmentId])
      expect(ids(delta.changes.customers)).toEqual([template.customer_id])
      // The next delta from the new cursor does not send it again.
      const next = await pull(sam, delta.cursor)
      expect(next.changes.jobs).toEqual([])
    } finally {
      server.clock.now = saved
    }
  })

  it("gives a dispatcher every technician's window", async () => {
    const body = await pull(dana)
    const technicians = new Set(body.changes.jobs.map((j) => j.technicianId))
    expect(technicians.size).toBe(3)
  })

  it('refuses a cursor it did not make', async () => {
    const res = await server.request(alex, { method: 'GET', url: '/api/sync/pull?cursor=garbage' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toBe('invalid_cursor')
  })

  it('answers a cursor from the future with everything', async () => {
    const full = await pull(alex)
    const body = await pull(alex, `999999.${Date.now()}`)
    expect(body.changes.jobs.length).toBe(full.changes.jobs.length)
    expect(body.cursor).toBe(full.cursor)
  })
})
