import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LineItem } from '../../protocol/entities'
import type { Mutation } from '../../protocol/mutations'
import type { MutationResult } from '../../protocol/sync'
import { ALEX, DANA, mutation, pushAs, richJob, startTestServer, type TestServer } from './helpers'

/**
 * The office's optimistic concurrency (server/dispatch/precondition.ts): a PATCH that names the
 * version it read (`baseVersion` or `If-Match`) is refused 409 `stale` once a technician's edit
 * has moved the row on, and writes nothing; one without keeps the old last-write-wins behaviour.
 */

let server: TestServer
let alex: string
let dana: string
let job: { id: string; number: number }
let seq = 0
const device = randomUUID()

beforeAll(async () => {
  server = await startTestServer()
  alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  job = await richJob(server)
})
afterAll(() => server.close())

async function send(m: Mutation): Promise<MutationResult> {
  const res = await pushAs(server, alex, device, [m])
  expect(res.statusCode, res.body).toBe(200)
  return res.json().results[0]
}
const patch = (url: string, payload: object, headers: Record<string, string> = {}) =>
  server.request(dana, { method: 'PATCH', url, payload, headers })

type Row = { id: string; version: number } & Record<string, unknown>
type Detail = Record<string, unknown> & { job: Row; form: Row }
async function detail(): Promise<Detail> {
  const res = await server.request(dana, { method: 'GET', url: `/api/dispatch/jobs/${job.id}` })
  expect(res.statusCode).toBe(200)
  return res.json()
}
const hour = 3600_000
const shift = (iso: unknown, hours: number) =>
  new Date(Date.parse(iso as string) + hours * hour).toISOString()
const lines = (): LineItem[] => [
  { id: randomUUID(), description: 'Labour', quantity: 1, unitPriceCents: 9000 },
  { id: randomUUID(), description: 'Cartridge', quantity: 1, unitPriceCents: 2500 },
]
/**
 * One resource of the probe: how to find it, the technician's edit, the office's edit. Each edit
 * writes a value of its own (a counter), remembered in `last`, so "kept" is never by chance.
 */
interface Case {
  what: string
  path: string
  last: { tech?: unknown; office?: unknown }
  /** The resource in the job's detail (what the office reads). */
  find(d: Detail): Row
  /** The technician's edit of what they read. */
  tech(read: Row): Mutation
  /** The office's edit, built from what it read. */
  office(read: Row): object
  /** The value the technician's / the office's edit writes, as the row holds it now. */
  techValue(now: Row): unknown
  officeValue(now: Row): unknown
}

const lineCase = (what: 'estimate' | 'invoice'): Case => {
  const last: Case['last'] = {}
  const docLines = (r: Row) => r.lineItems as LineItem[]
  return {
    what,
    path: `/api/dispatch/${what}s/`,
    last,
    find: (d) => (d[`${what}s`] as Row[]).find((r) => r.number === `V-${what}`) as Row,
    tech: (read) => {
      last.tech = `tech part ${++seq}`
      const line = { id: randomUUID(), description: last.tech, quantity: 1, unitPriceCents: 1200 }
      const changes = { lineItems: [...docLines(read), line] }
      const args = { [`${what}Id`]: read.id, baseVersion: read.version, changes }
      return mutation(
        `${what}.update`,
        { ...args, base: { lineItems: read.lineItems } } as never,
        seq,
      )
    },
    office: (read) => {
      const [a, b] = docLines(read) as [LineItem, LineItem]
      last.office = b.quantity + 1
      return { lineItems: [a, { ...b, quantity: last.office }, ...docLines(read).slice(2)] }
    },
    techValue: (now) => docLines(now).find((l) => l.description === last.tech)?.description,
    officeValue: (now) => docLines(now)[1]?.quantity,
  }
}

const jobCase = (): Case => {
  const last: Case['last'] = {}
  return {
    what: 'job',
    path: '/api/dispatch/jobs/',
    last,
    find: (d) => d.job,
    tech: (read) => {
      last.tech = `Tech title ${++seq}`
      const args = {
        jobId: read.id,
        baseVersion: read.version,
        changes: { title: last.tech as string },
        base: { title: read.title as string },
      }
      return mutation('job.update', args, seq)
    },
    // The office's form sends every field it shows: the title as it read it, too.
    office: (read) => {
      last.office = `Office: gate code ${++seq}`
      return { title: read.title, description: last.office }
    },
    techValue: (now) => now.title,
    officeValue: (now) => now.description,
  }
}

const formCase = (): Case => {
  const last: Case['last'] = {}
  return {
    what: 'form',
    path: '/api/dispatch/forms/',
    last,
    find: (d) => d.form,
    tech: (read) => {
      const field = textField(read)
      last.tech = `tech answer ${++seq}`
      const args = {
        formId: read.id,
        baseVersion: read.version,
        answers: { [field]: last.tech as string },
        base: { [field]: (read.answers as Record<string, string>)[field] ?? null },
      }
      return mutation('jobForm.answer', args, seq)
    },
    office: (read) => {
      last.office = `office answer ${++seq}`
      return { answers: { [textField(read)]: last.office } }
    },
    techValue: (now) => (now.answers as Record<string, unknown>)[textField(now)],
    officeValue: (now) => (now.answers as Record<string, unknown>)[textField(now)],
  }
}

const appointmentCase = (): Case => {
  const last: Case['last'] = {}
  return {
    what: 'appointment',
    path: '/api/dispatch/appointments/',
    last,
    find: (d) => (d.appointments as Row[])[0] as Row,
    tech: (read) => {
      last.tech = shift(read.startsAt, 2)
      const args = {
        appointmentId: read.id,
        baseVersion: read.version,
        startsAt: last.tech as string,
        endsAt: shift(read.endsAt, 2),
        base: { startsAt: read.startsAt as string, endsAt: read.endsAt as string },
      }
      return mutation('appointment.reschedule', args, ++seq)
    },
    office: (read) => {
      last.office = shift(read.startsAt, 1)
      return { startsAt: last.office, endsAt: shift(read.endsAt, 1) }
    },
    techValue: (now) => now.startsAt,
    officeValue: (now) => now.startsAt,
  }
}

const CASES: Case[] = [
  lineCase('estimate'),
  lineCase('invoice'),
  jobCase(),
  formCase(),
  appointmentCase(),
]

function textField(form: Row): string {
  const fields = form.fields as Array<{ id: string; type: string }>
  return (fields.find((f) => f.type === 'text') as { id: string }).id
}

beforeAll(async () => {
  // An estimate and an invoice of two lines, no payment: the office may edit their lines.
  for (const what of ['estimate', 'invoice'] as const) {
    const args = {
      id: randomUUID(),
      jobId: job.id,
      number: `V-${what}`,
      lineItems: lines(),
      taxRateBps: 0,
      createdAt: new Date().toISOString(),
      ...(what === 'invoice' && { estimateId: null }),
    }
    expect((await send(mutation(`${what}.create`, args as never, ++seq))).status).toBe('applied')
  }
})

describe('office PATCH with a precondition', () => {
  for (const c of CASES) {
    it(`${c.what}: stale is refused 409 and writes nothing; fresh applies; none overwrites as before`, async () => {
      const read = c.find(await detail())
      const staleBody = c.office(read)
      expect((await send(c.tech(read))).status).toBe('applied')
      const afterTech = c.find(await detail())
      expect(afterTech.version).toBe(read.version + 1)
      expect(c.techValue(afterTech)).toBe(c.last.tech)

      // Stale, by baseVersion and by If-Match: refused, the technician's change intact.
      const url = `${c.path}${read.id}`
      const stale = [
        await patch(url, { ...staleBody, baseVersion: read.version }),
        await patch(url, staleBody, { 'if-match': `"${read.version}"` }),
      ]
      for (const res of stale) {
        expect(res.statusCode, res.body).toBe(409)
        expect(res.json()).toEqual({
          error: 'stale',
          message: `This ${c.what} changed since you read it (version ${afterTech.version} now, you sent ${read.version}); read it again and reapply your change.`,
          version: afterTech.version,
        })
      }
      expect(c.find(await detail())).toEqual(afterTech)

      // Read again and reapplied: applied, the new version as ETag and in the body.
      const fresh = await patch(url, { ...c.office(afterTech), baseVersion: afterTech.version })
      expect(fresh.statusCode, fresh.body).toBe(200)
      expect(fresh.headers.etag).toBe(`"${afterTech.version + 1}"`)
      expect(Object.values(fresh.json())[0]).toMatchObject({ version: afterTech.version + 1 })
      const afterOffice = c.find(await detail())
      expect(afterOffice.version).toBe(afterTech.version + 1)
      expect(c.officeValue(afterOffice)).toBe(c.last.office)

      // If-Match with the current version applies as well; so does `*` (the row exists).
      for (const tag of [`"${afterOffice.version}"`, '*']) {
        const res = await patch(url, c.office(c.find(await detail())), { 'if-match': tag })
        expect(res.statusCode, res.body).toBe(200)
      }

      // No precondition: as before, the stale edit is written over the technician's (the known
      // limit documented in SECURITY.md).
      const read2 = c.find(await detail())
      const blindBody = c.office(read2)
      expect((await send(c.tech(read2))).status).toBe('applied')
      const blind = await patch(url, blindBody)
      expect(blind.statusCode, blind.body).toBe(200)
      const now = c.find(await detail())
      expect(c.officeValue(now)).toBe(c.last.office)
      expect(c.techValue(now)).not.toBe(c.last.tech)
    })
  }
})

describe('office PATCH preconditions, concurrency and malformed tags', () => {
  it('two saves with the same baseVersion at once: exactly one is applied', async () => {
    for (let round = 0; round < 5; round++) {
      const read = (await detail()).job
      const answers = await Promise.all(
        ['A', 'B', 'C'].map((who) =>
          patch(`/api/dispatch/jobs/${read.id}`, {
            description: `Office ${who} ${round}`,
            baseVersion: read.version,
          }),
        ),
      )
      const codes = answers.map((a) => a.statusCode).sort()
      expect(codes, answers.map((a) => a.body).join('\n')).toEqual([200, 409, 409])
      const now = (await detail()).job
      expect(now.version).toBe(read.version + 1)
      const winner = answers.find((a) => a.statusCode === 200)?.json().job.description
      expect(now.description).toBe(winner)
    }
  })

  it('the same for an estimate’s lines', async () => {
    const read = CASES[0]?.find(await detail()) as Row
    const [a, b] = read.lineItems as LineItem[]
    const answers = await Promise.all(
      [2, 5].map((quantity) =>
        patch(`/api/dispatch/estimates/${read.id}`, {
          lineItems: [a, { ...b, quantity }],
          baseVersion: read.version,
        }),
      ),
    )
    expect(answers.map((x) => x.statusCode).sort()).toEqual([200, 409])
  })

  it('refuses a malformed If-Match 400 with the reason, and writes nothing', async () => {
    const before = (await detail()).job
    const url = `/api/dispatch/jobs/${before.id}`
    for (const tag of ['3', 'W/"3"', '"abc"', '"1", "2"', '"99999999999"', '""', '"-1"']) {
      const res = await patch(url, { description: 'never' }, { 'if-match': tag })
      expect(res.statusCode, `${tag}: ${res.body}`).toBe(400)
      expect(res.json().error).toBe('invalid_request')
      expect(res.json().message).toMatch(/^If-Match must be one version as a quoted entity tag/)
    }
    const both = await patch(
      url,
      { description: 'never', baseVersion: before.version },
      { 'if-match': `"${before.version + 1}"` },
    )
    expect(both.statusCode, both.body).toBe(400)
    expect(both.json().message).toMatch(/If-Match names version/)
    for (const baseVersion of [-1, 1.5, '1', null, 2 ** 31]) {
      const res = await patch(url, { description: 'never', baseVersion })
      expect(res.statusCode, `${baseVersion}: ${res.body}`).toBe(400)
    }
    // A precondition alone changes nothing: the body must still name a change.
    const alone = await patch(url, { baseVersion: before.version })
    expect(alone.statusCode, alone.body).toBe(400)
    expect((await detail()).job).toEqual(before)
  })

  it('checks the precondition before the row rules: a stale save is stale, not another 409', async () => {
    const read = CASES[1]?.find(await detail()) as Row
    const res = await patch(`/api/dispatch/invoices/${read.id}`, {
      status: 'void',
      baseVersion: read.version - 1,
    })
    expect(res.statusCode, res.body).toBe(409)
    expect(res.json().error).toBe('stale')
  })
})
