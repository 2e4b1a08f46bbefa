import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { syncWindow } from '../../protocol/window'
import { assertProperty } from '../property/run'
import { ALEX, DANA, mutation, pushAs, startTestServer, type TestServer } from './helpers'

/**
 * What the office does to an appointment reaches the technician's device, wherever it moves it.
 * A technician's device holds the jobs with an appointment starting in its window (30 days back,
 * 8 ahead). The office moving a job's appointment out of it (a visit tomorrow put off three weeks)
 * took the job out of the technician's scope: the next pull sent neither the moved appointment
 * nor a removal, so the device went on showing the visit tomorrow at its old time. After any
 * sequence of office moves and a pull, the device holds the job's appointment exactly as the
 * server has it, or nothing of the job. The same when the technician moves it from one of their
 * devices (appointment.reschedule): their other device, and the one that moved it, hold the
 * server's appointment or nothing of the job (before, the other device kept the old time).
 */
let server: TestServer
let alex: string
let dana: string
beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
})
afterAll(() => server.close())

const DAY = 86_400_000
type Row = { id: string; jobId?: string }

/** A device's copy: pulls applied as offline/pull.ts applies them (removals, then rows). */
class Device {
  rows = new Map<string, Row>()
  cursor: string | null = null
  async pull(): Promise<void> {
    for (;;) {
      const query = this.cursor ? `?cursor=${encodeURIComponent(this.cursor)}` : ''
      const res = await server.request(alex, { method: 'GET', url: `/api/sync/pull${query}` })
      expect(res.statusCode).toBe(200)
      const page = res.json()
      for (const r of page.removed as Array<{ table: string; id: string }>) {
        this.rows.delete(`${r.table}:${r.id}`)
      }
      for (const [table, list] of Object.entries(page.changes as Record<string, Row[]>)) {
        for (const row of list) this.rows.set(`${table}:${row.id}`, row)
      }
      this.cursor = page.cursor
      if (!page.more) return
    }
  }
  ofJob(jobId: string): Row[] {
    return [...this.rows.entries()]
      .filter(([key, row]) => key === `jobs:${jobId}` || row.jobId === jobId)
      .map(([, row]) => row)
  }
}

/** Alex's jobs whose only appointment starts in today's window: moving it can take the job out. */
async function movableAppointments(): Promise<Array<{ id: string; jobId: string }>> {
  const { from, to } = syncWindow(server.clock.now)
  const rows = await server.db.kysely
    .selectFrom('appointments as a')
    .innerJoin('jobs as j', 'j.id', 'a.job_id')
    .select(['a.id', 'a.job_id', 'a.starts_at'])
    .where('j.technician_id', '=', await server.userId(ALEX))
    .execute()
  const count = new Map<string, number>()
  for (const r of rows) count.set(r.job_id, (count.get(r.job_id) ?? 0) + 1)
  return rows
    .filter((r) => count.get(r.job_id) === 1 && r.starts_at >= from && r.starts_at < to)
    .map((r) => ({ id: r.id, jobId: r.job_id }))
}

/** A move: days from now (out of the window on either side, or in it) and a length. */
const move = fc.record({
  days: fc.integer({ min: -70, max: 70 }),
  minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
  hours: fc.integer({ min: 1, max: 4 }),
})

// A property of many requests: well past the 20 s default when other test files share the CPU.
const TIMEOUT = 180_000

describe('the office moving an appointment', () => {
  it(
    "leaves the technician's device with the server's appointment or without the job",
    async () => {
      const device = new Device()
      await device.pull()
      const appointments = await movableAppointments()
      expect(appointments.length).toBeGreaterThan(3)
      await assertProperty(
        'office moves reach the device',
        fc.record({
          appointment: fc.constantFrom(...appointments),
          moves: fc.array(move, { minLength: 1, maxLength: 4 }),
        }),
        async ({ appointment, moves }) => {
          for (const m of moves) {
            const start = server.clock.now.getTime() + m.days * DAY + m.minutes * 60_000
            const res = await server.request(dana, {
              method: 'PATCH',
              url: `/api/dispatch/appointments/${appointment.id}`,
              payload: {
                startsAt: new Date(start).toISOString(),
                endsAt: new Date(start + m.hours * 3_600_000).toISOString(),
              },
            })
            expect(res.statusCode).toBe(200)
            const onServer = res.json().appointment
            await device.pull()
            const held = device.ofJob(appointment.jobId)
            const copy = device.rows.get(`appointments:${appointment.id}`)
            expect({ move: m, held: held.length === 0 ? 'nothing' : copy }).toEqual({
              move: m,
              held: held.length === 0 ? 'nothing' : onServer,
            })
          }
        },
        25,
      )
    },
    TIMEOUT,
  )
})

describe('the technician moving an appointment on one of their devices', () => {
  it(
    "leaves each of their devices with the server's appointment or without the job",
    async () => {
      const mover = new Device()
      const other = new Device()
      await mover.pull()
      await other.pull()
      const appointments = await movableAppointments()
      expect(appointments.length).toBeGreaterThan(3)
      const deviceId = crypto.randomUUID()
      let seq = 0
      await assertProperty(
        "a technician's moves reach all their devices",
        fc.record({
          appointment: fc.constantFrom(...appointments),
          moves: fc.array(move, { minLength: 1, maxLength: 3 }),
        }),
        async ({ appointment, moves }) => {
          for (const m of moves) {
            const row = await server.db.kysely
              .selectFrom('appointments')
              .select(['starts_at', 'ends_at', 'version'])
              .where('id', '=', appointment.id)
              .executeTakeFirstOrThrow()
            const start = server.clock.now.getTime() + m.days * DAY + m.minutes * 60_000
            const res = await pushAs(server, alex, deviceId, [
              mutation(
                'appointment.reschedule',
                {
                  appointmentId: appointment.id,
                  baseVersion: row.version,
                  startsAt: new Date(start).toISOString(),
                  endsAt: new Date(start + m.hours * 3_600_000).toISOString(),
                  base: { startsAt: row.starts_at, endsAt: row.ends_at },
                },
                ++seq,
              ),
            ])
            expect(res.statusCode).toBe(200)
            // Applied, or refused for the job no longer being the technician's to move (it left
            // their devices on an earlier move of this run: they could not have made this one).
            const onServer = await server.db.kysely
              .selectFrom('appointments')
              .select(['id', 'starts_at as startsAt', 'ends_at as endsAt', 'version'])
              .where('id', '=', appointment.id)
              .executeTakeFirstOrThrow()
            for (const device of [other, mover]) {
              await device.pull()
              const held = device.ofJob(appointment.jobId)
              const copy = device.rows.get(`appointments:${appointment.id}`) as
                | (Row & { startsAt: string; endsAt: string; version: number })
                | undefined
              expect({
                move: m,
                held:
                  held.length === 0
                    ? 'nothing'
                    : { startsAt: copy?.startsAt, endsAt: copy?.endsAt, version: copy?.version },
              }).toEqual({
                move: m,
                held:
                  held.length === 0
                    ? 'nothing'
                    : {
                        startsAt: onServer.startsAt,
                        endsAt: onServer.endsAt,
                        version: onServer.version,
                      },
              })
            }
          }
        },
        15,
      )
    },
    TIMEOUT,
  )
})

describe('one batch moving a visit out of the window, back in and out again', () => {
  it('applies all three moves (the second leaving wrote the same tombstones again)', async () => {
    // Every action of a batch shares its revision, so the job's tombstones of the first move
    // out were there again at the second: a primary-key failure, answered `internal`.
    const [appointment] = await movableAppointments()
    if (!appointment) throw new Error('no movable appointment')
    const row = await server.db.kysely
      .selectFrom('appointments')
      .select(['starts_at', 'ends_at', 'version'])
      .where('id', '=', appointment.id)
      .executeTakeFirstOrThrow()
    const now = server.clock.now.getTime()
    const at = (days: number) => new Date(now + days * DAY).toISOString()
    const times = [at(60), at(1), at(61)]
    let base = { startsAt: row.starts_at, endsAt: row.ends_at }
    const moves = times.map((startsAt, i) => {
      const endsAt = new Date(Date.parse(startsAt) + 3_600_000).toISOString()
      const m = mutation(
        'appointment.reschedule',
        { appointmentId: appointment.id, baseVersion: row.version + i, startsAt, endsAt, base },
        i + 1,
      )
      base = { startsAt, endsAt }
      return m
    })
    const res = await pushAs(server, alex, crypto.randomUUID(), moves)
    expect(res.statusCode).toBe(200)
    const results = res.json().results as Array<{ status: string; code?: string }>
    expect(results.map((r) => r.code ?? r.status)).not.toContain('internal')
    const after = await server.db.kysely
      .selectFrom('appointments')
      .select('starts_at')
      .where('id', '=', appointment.id)
      .executeTakeFirstOrThrow()
    expect(results.every((r) => r.status === 'applied')).toBe(true)
    expect(after.starts_at).toBe(times[2])
  })
})
