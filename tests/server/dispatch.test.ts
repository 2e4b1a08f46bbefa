import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALEX, DANA, jobOf, SAM, startTestServer, type TestServer } from './helpers'

let server: TestServer
let alex: string
let dana: string
let job: { id: string; number: number }

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  job = await jobOf(server, ALEX)
})
afterAll(() => server.close())

const hour = 3600_000
const later = (hours: number) => new Date(Date.now() + hours * hour).toISOString()

describe('dispatcher routes', () => {
  it('are refused to technicians with 403', async () => {
    const calls = [
      { method: 'GET', url: '/api/dispatch/jobs' },
      { method: 'GET', url: `/api/dispatch/jobs/${job.id}/notes` },
      { method: 'PATCH', url: `/api/dispatch/jobs/${job.id}`, payload: { title: 'Mine now' } },
      {
        method: 'POST',
        url: '/api/dispatch/appointments',
        payload: { jobId: job.id, startsAt: later(1), endsAt: later(2) },
      },
      {
        method: 'PATCH',
        url: `/api/dispatch/appointments/${randomUUID()}`,
        payload: { status: 'started' },
      },
    ] as const
    for (const call of calls) {
      const res = await server.request(alex, call)
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(403)
      expect(res.json().error).toBe('forbidden')
    }
  })

  it('lists jobs, filtered by technician', async () => {
    const all = await server.request(dana, { method: 'GET', url: '/api/dispatch/jobs' })
    const alexId = await server.userId(ALEX)
    const mine = await server.request(dana, {
      method: 'GET',
      url: `/api/dispatch/jobs?technicianId=${alexId}`,
    })
    expect(all.statusCode).toBe(200)
    expect(mine.json().jobs.length).toBeGreaterThan(0)
    expect(mine.json().jobs.length).toBeLessThan(all.json().jobs.length)
    expect(mine.json().jobs.every((j: { technicianId: string }) => j.technicianId === alexId)).toBe(
      true,
    )
    expect(all.json().jobs[0].number).toBe(1001)
  })

  it('creates and reschedules an appointment, bumping its version', async () => {
    const id = randomUUID()
    const payload = { id, jobId: job.id, startsAt: later(1), endsAt: later(2) }
    const created = await server.request(dana, {
      method: 'POST',
      url: '/api/dispatch/appointments',
      payload,
    })
    expect(created.statusCode).toBe(201)
    expect(created.json().appointment).toMatchObject({
      id,
      jobId: job.id,
      status: 'scheduled',
      version: 1,
    })

    // The same create again (a retry after a lost answer): 200 with what it made, not an error.
    const retried = await server.request(dana, {
      method: 'POST',
      url: '/api/dispatch/appointments',
      payload,
    })
    expect(retried.statusCode).toBe(200)
    expect(retried.json()).toEqual(created.json())
    // Other details under the same id: 409.
    const again = await server.request(dana, {
      method: 'POST',
      url: '/api/dispatch/appointments',
      payload: { ...payload, startsAt: later(1.5) },
    })
    expect(again.statusCode).toBe(409)

    const moved = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/appointments/${id}`,
      payload: { startsAt: later(3), endsAt: later(4), status: 'en_route' },
    })
    expect(moved.statusCode).toBe(200)
    expect(moved.json().appointment).toMatchObject({ status: 'en_route', version: 2 })
  })

  it('validates bodies strictly, with a reason', async () => {
    const cases = [
      {
        payload: { jobId: job.id, startsAt: later(2), endsAt: later(1) },
        message: 'endsAt must be after startsAt',
      },
      {
        payload: { jobId: job.id, startsAt: 'tomorrow', endsAt: later(1) },
        message: 'startsAt must be an ISO date-time like 2026-11-28T09:30:00.000Z',
      },
      {
        payload: { jobId: job.id, startsAt: later(1), endsAt: later(2), colour: 'red' },
        message: expect.stringContaining('colour'),
      },
    ]
    for (const { payload, message } of cases) {
      const res = await server.request(dana, {
        method: 'POST',
        url: '/api/dispatch/appointments',
        payload,
      })
      expect(res.statusCode).toBe(400)
      expect(res.json()).toEqual({ error: 'invalid_request', message })
    }
    const badStatus = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { status: 'exploded' },
    })
    expect(badStatus.json()).toEqual({
      error: 'invalid_request',
      message: 'status is not a job status',
    })
    const empty = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: {},
    })
    expect(empty.statusCode).toBe(400)
  })

  it('answers 404 for unknown ids', async () => {
    const unknown = randomUUID()
    const calls = [
      { method: 'GET', url: `/api/dispatch/jobs/${unknown}/notes` },
      { method: 'GET', url: '/api/dispatch/jobs/not-a-uuid/notes' },
      { method: 'PATCH', url: `/api/dispatch/jobs/${unknown}`, payload: { title: 'x' } },
      {
        method: 'PATCH',
        url: `/api/dispatch/appointments/${unknown}`,
        payload: { status: 'started' },
      },
      {
        method: 'POST',
        url: '/api/dispatch/appointments',
        payload: { jobId: unknown, startsAt: later(1), endsAt: later(2) },
      },
    ] as const
    for (const call of calls) {
      const res = await server.request(dana, call)
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(404)
      expect(res.json().error).toBe('not_found')
    }
  })

  it('edits a job and refuses to assign it to a non-technician', async () => {
    const res = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { title: 'Replace water heater', status: 'in_progress' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().job).toMatchObject({ title: 'Replace water heater', status: 'in_progress' })

    const toDispatcher = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { technicianId: await server.userId(DANA) },
    })
    expect(toDispatcher.statusCode).toBe(400)
    expect(toDispatcher.json().message).toBe('technicianId is not a technician.')

    const toSam = await server.request(dana, {
      method: 'PATCH',
      url: `/api/dispatch/jobs/${job.id}`,
      payload: { technicianId: await server.userId(SAM) },
    })
    expect(toSam.json().job.technicianId).toBe(await server.userId(SAM))
  })
})
