import { createHash, randomUUID } from 'node:crypto'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MUTATION_NAMES, type Mutation, type MutationName } from '../../protocol/mutations'
import type { MutationResult, PushResponse } from '../../protocol/sync'
import { encodePng } from '../../server/db/seed/png'
import {
  ALEX,
  DANA,
  mutation,
  pushAs,
  richJob,
  SAM,
  startTestServer,
  type TestServer,
} from './helpers'

/**
 * The authorization matrix: every API route (read from the app's own route table, so a new route
 * without an entry here fails) called as nobody, technician A (the job's), technician B and the
 * dispatcher, on A's job and its children. Refused calls answer 401/403/404/409 with an ApiError
 * and change nothing in the database. Then every push mutation of B on A's job: rejected per
 * mutation, nothing applied.
 */

type Role = 'none' | 'a' | 'b' | 'dispatcher'
const ROLES: Role[] = ['none', 'a', 'b', 'dispatcher']

let server: TestServer
let ids: {
  job: string
  jobNumber: number
  alex: string
  appointment: string
  attachment: string
  attachmentBytes: Buffer
  estimate: string
  invoice: string
  form: string
  formField: string
  labelOnJob: string
}

beforeAll(async () => {
  server = await startTestServer()
  const db = server.db.kysely
  const job = await richJob(server)
  const attachment = await db
    .selectFrom('attachments')
    .select('id')
    .where('job_id', '=', job.id)
    .executeTakeFirstOrThrow()
  const blob = await server.blobs.get(attachment.id)
  if (!blob) throw new Error('seed file missing')
  const chunks: Buffer[] = []
  for await (const chunk of blob.stream) chunks.push(Buffer.from(chunk))
  const form = await db
    .selectFrom('job_forms')
    .select(['id', 'fields'])
    .where('job_id', '=', job.id)
    .executeTakeFirstOrThrow()
  const labels = await db
    .selectFrom('jobs')
    .select('label_ids')
    .where('id', '=', job.id)
    .executeTakeFirstOrThrow()
  const one = async (table: 'appointments' | 'estimates' | 'invoices') =>
    (await db.selectFrom(table).select('id').where('job_id', '=', job.id).executeTakeFirstOrThrow())
      .id
  ids = {
    job: job.id,
    jobNumber: job.number,
    alex: await server.userId(ALEX),
    appointment: await one('appointments'),
    attachment: attachment.id,
    attachmentBytes: Buffer.concat(chunks),
    estimate: await one('estimates'),
    invoice: await one('invoices'),
    form: form.id,
    formField: (JSON.parse(form.fields) as Array<{ id: string }>)[0]?.id as string,
    labelOnJob: (JSON.parse(labels.label_ids) as string[])[0] as string,
  }
  expect(ids.formField).toBeTruthy()
  expect(ids.labelOnJob).toBeTruthy()
})
afterAll(() => server.close())

/**
 * Every row of every data table, hashed per table: "did anything change", and where. Left out:
 * sessions and sign-in failures (signing in is part of the test), and a push's own bookkeeping —
 * the revision counter it takes, the caller's device row and the caller's processed_mutations
 * entry (a rejection is recorded there with its reason, for the device's ordering).
 */
const BOOKKEEPING = ['sessions', 'signin_failures', 'counters', 'devices', 'processed_mutations']
async function snapshot(): Promise<Record<string, string>> {
  const db = server.db.kysely
  // Kysely's introspection works on both stores; rows are compared in a fixed order.
  const tables = (await db.introspection.getTables()).map((t) => t.name).sort()
  const out: Record<string, string> = {}
  for (const name of tables) {
    if (BOOKKEEPING.includes(name) || name.startsWith('kysely_')) continue
    const rows = await sql`select * from ${sql.table(name)}`.execute(db)
    const lines = rows.rows.map((r) => JSON.stringify(r)).sort()
    out[name] = createHash('sha256').update(lines.join('\n')).digest('hex')
  }
  return out
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
const hour = (h: number) => new Date(Date.now() + h * 3600_000).toISOString()

interface Entry {
  request: () => InjectOptions
  /** The status each role gets. */
  expect: Record<Role, number>
  /** Extra checks on an answer (e.g. a 200 push whose mutation was refused). */
  verify?: (role: Role, res: LightMyRequestResponse) => void
  /** Roles whose call is refused even though the status is 2xx (must change nothing). */
  refusedDespite2xx?: Role[]
}

const OFFICE_ONLY = { none: 401, a: 403, b: 403, dispatcher: 200 } as const

const MATRIX: Record<string, Entry> = {
  'POST /api/auth/signin': {
    request: () => ({
      method: 'POST',
      url: '/api/auth/signin',
      payload: { email: ALEX, password: 'fieldline' },
    }),
    expect: { none: 200, a: 200, b: 200, dispatcher: 200 },
  },
  'POST /api/auth/signout': {
    request: () => ({ method: 'POST', url: '/api/auth/signout', payload: {} }),
    expect: { none: 200, a: 200, b: 200, dispatcher: 200 },
  },
  'POST /api/auth/revoke': {
    // Public by design (a device that signed out offline has no session left to send), and the
    // same answer for any token; an unknown one changes nothing.
    request: () => ({
      method: 'POST',
      url: '/api/auth/revoke',
      payload: { token: randomUUID() },
    }),
    expect: { none: 200, a: 200, b: 200, dispatcher: 200 },
  },
  'GET /api/auth/me': {
    request: () => ({ method: 'GET', url: '/api/auth/me' }),
    expect: { none: 401, a: 200, b: 200, dispatcher: 200 },
  },
  'GET /api/health': {
    request: () => ({ method: 'GET', url: '/api/health' }),
    expect: { none: 200, a: 200, b: 200, dispatcher: 200 },
  },
  'GET /api/ready': {
    request: () => ({ method: 'GET', url: '/api/ready' }),
    expect: { none: 200, a: 200, b: 200, dispatcher: 200 },
  },
  'GET /api/sync/pull': {
    request: () => ({ method: 'GET', url: '/api/sync/pull' }),
    expect: { none: 401, a: 200, b: 200, dispatcher: 200 },
    verify: (role, res) => {
      // A's job (and so its children) is in A's and the office's pull, never in B's.
      const hasJob = res.body.includes(ids.job)
      if (role === 'b') expect(hasJob).toBe(false)
      if (role === 'a' || role === 'dispatcher') expect(hasJob).toBe(true)
    },
  },
  'GET /api/sync/events': {
    request: () => ({ method: 'GET', url: '/api/sync/events' }),
    expect: { none: 401, a: 200, b: 200, dispatcher: 200 },
    verify: (role, res) => {
      // Only "pull now" signals: the stream itself carries no data (events.test.ts has the scope).
      if (role !== 'none') expect(res.headers['content-type']).toMatch(/^text\/event-stream/)
    },
  },
  'POST /api/sync/push': {
    request: () => ({
      method: 'POST',
      url: '/api/sync/push',
      payload: {
        deviceId: randomUUID(),
        mutations: [
          mutation(
            'note.add',
            { id: randomUUID(), jobId: ids.job, body: 'matrix', createdAt: hour(0) },
            1,
          ),
        ],
      },
    }),
    expect: { none: 401, a: 200, b: 200, dispatcher: 200 },
    refusedDespite2xx: ['b'],
    verify: (role, res) => {
      if (role === 'none') return
      const [result] = (res.json() as PushResponse).results
      if (role === 'b') expect(result).toMatchObject({ status: 'rejected', code: 'forbidden' })
      else expect(result?.status).toBe('applied')
    },
  },
  'PUT /api/attachments/:id/file': {
    // A's own photo, byte for byte: A's resend is a duplicate; anyone else is refused.
    request: () => ({
      method: 'PUT',
      url: `/api/attachments/${ids.attachment}/file`,
      headers: {
        'content-type': 'application/octet-stream',
        'x-content-sha256': sha(ids.attachmentBytes),
      },
      payload: ids.attachmentBytes,
    }),
    expect: { none: 401, a: 200, b: 409, dispatcher: 409 },
  },
  'GET /api/attachments/:id/file': {
    request: () => ({ method: 'GET', url: `/api/attachments/${ids.attachment}/file` }),
    expect: { none: 401, a: 200, b: 404, dispatcher: 200 },
    verify: (role, res) => {
      if (res.statusCode === 200) expect(res.rawPayload.equals(ids.attachmentBytes)).toBe(true)
      else expect(res.rawPayload.includes(ids.attachmentBytes.subarray(0, 64))).toBe(false)
      void role
    },
  },
  'GET /api/dispatch/jobs': {
    request: () => ({ method: 'GET', url: '/api/dispatch/jobs' }),
    expect: OFFICE_ONLY,
  },
  'GET /api/dispatch/jobs/:id': {
    request: () => ({ method: 'GET', url: `/api/dispatch/jobs/${ids.job}` }),
    expect: OFFICE_ONLY,
  },
  'GET /api/dispatch/jobs/:id/notes': {
    request: () => ({ method: 'GET', url: `/api/dispatch/jobs/${ids.job}/notes` }),
    expect: OFFICE_ONLY,
  },
  'PATCH /api/dispatch/jobs/:id': {
    request: () => ({
      method: 'PATCH',
      url: `/api/dispatch/jobs/${ids.job}`,
      payload: { title: 'Retitled by the office' },
    }),
    expect: OFFICE_ONLY,
  },
  'POST /api/dispatch/appointments': {
    request: () => ({
      method: 'POST',
      url: '/api/dispatch/appointments',
      payload: { jobId: ids.job, startsAt: hour(30), endsAt: hour(31) },
    }),
    expect: { ...OFFICE_ONLY, dispatcher: 201 },
  },
  'PATCH /api/dispatch/appointments/:id': {
    request: () => ({
      method: 'PATCH',
      url: `/api/dispatch/appointments/${ids.appointment}`,
      payload: { status: 'scheduled' },
    }),
    expect: OFFICE_ONLY,
  },
  'PATCH /api/dispatch/estimates/:id': {
    request: () => ({
      method: 'PATCH',
      url: `/api/dispatch/estimates/${ids.estimate}`,
      payload: { taxRateBps: 825 },
    }),
    expect: OFFICE_ONLY,
  },
  'PATCH /api/dispatch/invoices/:id': {
    request: () => ({
      method: 'PATCH',
      url: `/api/dispatch/invoices/${ids.invoice}`,
      payload: { status: 'sent' },
    }),
    expect: OFFICE_ONLY,
  },
  'PATCH /api/dispatch/forms/:id': {
    request: () => ({
      method: 'PATCH',
      url: `/api/dispatch/forms/${ids.form}`,
      payload: { answers: { [ids.formField]: null } },
    }),
    expect: OFFICE_ONLY,
  },
  'DELETE /api/dispatch/users/:id/sessions': {
    request: () => ({ method: 'DELETE', url: `/api/dispatch/users/${ids.alex}/sessions` }),
    expect: OFFICE_ONLY,
  },
}

/** Fresh sessions for each route: sign-out and revocation must not spoil the next row. */
async function cookies(): Promise<Record<Role, string | null>> {
  return {
    none: null,
    a: await server.signIn(ALEX),
    b: await server.signIn(SAM),
    dispatcher: await server.signIn(DANA),
  }
}

describe('authorization matrix', () => {
  it('has an entry for every API route, and no entry for a route that does not exist', () => {
    const routes = server.app.routeList
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url}`)
    expect(new Set(routes).size).toBe(routes.length)
    expect([...routes].sort()).toEqual(Object.keys(MATRIX).sort())
  })

  it.each(Object.keys(MATRIX))('%s: only the allowed roles succeed', async (key) => {
    const entry = MATRIX[key] as Entry
    const jar = await cookies()
    for (const role of ROLES) {
      const before = await snapshot()
      const res = await server.request(jar[role], entry.request())
      expect({ role, status: res.statusCode, body: res.body.slice(0, 200) }).toMatchObject({
        role,
        status: entry.expect[role],
      })
      entry.verify?.(role, res)
      const refused = res.statusCode >= 400 || entry.refusedDespite2xx?.includes(role)
      if (refused) {
        if (res.statusCode >= 400) {
          expect(res.json()).toEqual({ error: expect.any(String), message: expect.any(String) })
        }
        expect({ role, tables: await snapshot() }).toEqual({ role, tables: before })
      }
    }
  })

  it('revoking a technician ends every one of their sessions at once', async () => {
    const first = await server.signIn(ALEX)
    const second = await server.signIn(ALEX)
    const office = await server.signIn(DANA)
    const res = await server.request(office, {
      method: 'DELETE',
      url: `/api/dispatch/users/${ids.alex}/sessions`,
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().revoked).toBeGreaterThanOrEqual(2)
    for (const cookie of [first, second]) {
      const me = await server.request(cookie, { method: 'GET', url: '/api/auth/me' })
      expect(me.statusCode).toBe(401)
    }
    const still = await server.request(office, { method: 'GET', url: '/api/auth/me' })
    expect(still.statusCode).toBe(200)
    const unknown = await server.request(office, {
      method: 'DELETE',
      url: `/api/dispatch/users/${randomUUID()}/sessions`,
    })
    expect(unknown.statusCode).toBe(404)
  })
})

describe("push: technician B on technician A's job", () => {
  const png = encodePng(4, 4, () => [10, 20, 30])
  const line = () => ({ id: randomUUID(), description: 'Part', quantity: 1, unitPriceCents: 100 })

  /**
   * One mutation of each type aimed at A's job or its children. label.create is company-wide
   * (labels belong to no job), so B may make one; it cannot put it on A's job (job.addLabel).
   */
  const builders: Record<MutationName, ((seq: number) => Promise<Mutation>) | 'company-wide'> = {
    'note.add': async (s) =>
      mutation(
        'note.add',
        { id: randomUUID(), jobId: ids.job, body: 'B was here', createdAt: hour(0) },
        s,
      ),
    'attachment.add': async (s) => {
      // B's own upload under a fresh id, so only the job decides: not a missing file.
      const id = randomUUID()
      const put = await server.request(await server.signIn(SAM), {
        method: 'PUT',
        url: `/api/attachments/${id}/file`,
        headers: { 'content-type': 'image/png', 'x-content-sha256': sha(png) },
        payload: png,
      })
      expect(put.statusCode).toBe(201)
      return mutation(
        'attachment.add',
        {
          id,
          jobId: ids.job,
          kind: 'photo',
          filename: 'b.png',
          mimeType: 'image/png',
          size: png.length,
          sha256: sha(png),
          takenAt: hour(0),
          thumbnail: null,
        },
        s,
      )
    },
    'payment.add': async (s) =>
      mutation(
        'payment.add',
        {
          id: randomUUID(),
          invoiceId: ids.invoice,
          method: 'cash',
          amountCents: 1,
          receivedAt: hour(0),
        },
        s,
      ),
    'label.create': 'company-wide',
    'job.addLabel': async (s) => {
      const label = await server.db.kysely
        .selectFrom('labels')
        .select('id')
        .executeTakeFirstOrThrow()
      return mutation('job.addLabel', { jobId: ids.job, labelId: label.id }, s)
    },
    'job.removeLabel': async (s) =>
      mutation('job.removeLabel', { jobId: ids.job, labelId: ids.labelOnJob }, s),
    'signature.add': async (s) =>
      mutation(
        'signature.add',
        {
          id: randomUUID(),
          jobId: ids.job,
          subjectType: 'job',
          subjectId: ids.job,
          signerName: 'Mallory',
          signedAt: hour(0),
          image: `data:image/png;base64,${png.toString('base64')}`,
        },
        s,
      ),
    'appointment.create': async (s) =>
      mutation(
        'appointment.create',
        { id: randomUUID(), jobId: ids.job, startsAt: hour(2), endsAt: hour(3) },
        s,
      ),
    'appointment.reschedule': async (s) => {
      const a = await server.db.kysely
        .selectFrom('appointments')
        .select(['starts_at', 'ends_at', 'version'])
        .where('id', '=', ids.appointment)
        .executeTakeFirstOrThrow()
      return mutation(
        'appointment.reschedule',
        {
          appointmentId: ids.appointment,
          baseVersion: a.version,
          startsAt: hour(5),
          endsAt: hour(6),
          base: { startsAt: a.starts_at, endsAt: a.ends_at },
        },
        s,
      )
    },
    'estimate.create': async (s) =>
      mutation(
        'estimate.create',
        {
          id: randomUUID(),
          jobId: ids.job,
          number: 'E-B',
          lineItems: [line()],
          taxRateBps: 0,
          createdAt: hour(0),
        },
        s,
      ),
    'estimate.update': async (s) => {
      const e = await server.db.kysely
        .selectFrom('estimates')
        .select(['version', 'tax_rate_bps'])
        .where('id', '=', ids.estimate)
        .executeTakeFirstOrThrow()
      return mutation(
        'estimate.update',
        {
          estimateId: ids.estimate,
          baseVersion: e.version,
          changes: { taxRateBps: (e.tax_rate_bps + 1) % 10_000 },
          base: { taxRateBps: e.tax_rate_bps },
        },
        s,
      )
    },
    'invoice.create': async (s) =>
      mutation(
        'invoice.create',
        {
          id: randomUUID(),
          jobId: ids.job,
          number: 'I-B',
          lineItems: [line()],
          taxRateBps: 0,
          estimateId: null,
          createdAt: hour(0),
        },
        s,
      ),
    'invoice.update': async (s) => {
      const i = await server.db.kysely
        .selectFrom('invoices')
        .select(['version', 'tax_rate_bps'])
        .where('id', '=', ids.invoice)
        .executeTakeFirstOrThrow()
      return mutation(
        'invoice.update',
        {
          invoiceId: ids.invoice,
          baseVersion: i.version,
          changes: { taxRateBps: i.tax_rate_bps + 1 },
          base: { taxRateBps: i.tax_rate_bps },
        },
        s,
      )
    },
    'job.update': async (s) => {
      const j = await server.db.kysely
        .selectFrom('jobs')
        .select(['version', 'title'])
        .where('id', '=', ids.job)
        .executeTakeFirstOrThrow()
      return mutation(
        'job.update',
        {
          jobId: ids.job,
          baseVersion: j.version,
          changes: { title: 'Taken over by B' },
          base: { title: j.title },
        },
        s,
      )
    },
    'jobForm.answer': async (s) => {
      const f = await server.db.kysely
        .selectFrom('job_forms')
        .select(['version', 'answers'])
        .where('id', '=', ids.form)
        .executeTakeFirstOrThrow()
      const old = (JSON.parse(f.answers) as Record<string, unknown>)[ids.formField] ?? null
      return mutation(
        'jobForm.answer',
        {
          formId: ids.form,
          baseVersion: f.version,
          answers: { [ids.formField]: null },
          base: { [ids.formField]: old as null },
        },
        s,
      )
    },
  }

  it('covers every mutation type of the protocol', () => {
    expect(Object.keys(builders).sort()).toEqual([...MUTATION_NAMES].sort())
  })

  it.each(MUTATION_NAMES.filter((n) => builders[n] !== 'company-wide'))(
    '%s is rejected with a reason and changes nothing',
    async (name) => {
      const build = builders[name]
      if (build === 'company-wide') return
      const m = await build(1)
      const sam = await server.signIn(SAM)
      const before = await snapshot()
      const res = await pushAs(server, sam, randomUUID(), [m])
      expect(res.statusCode).toBe(200)
      const [result] = (res.json() as PushResponse).results as MutationResult[]
      expect(result).toMatchObject({ id: m.id, status: 'rejected', code: 'forbidden' })
      expect(result?.reason).toMatch(/no longer assigned to you/)
      expect(await snapshot()).toEqual(before)
      const recorded = await server.db.kysely
        .selectFrom('processed_mutations')
        .select(['status', 'code'])
        .where('id', '=', m.id)
        .executeTakeFirstOrThrow()
      expect(recorded).toEqual({ status: 'rejected', code: 'forbidden' })
    },
  )

  it('the same mutations from A are not refused for permission', async () => {
    const alex = await server.signIn(ALEX)
    for (const name of MUTATION_NAMES) {
      const build = builders[name]
      if (build === 'company-wide') continue
      const m = await build(1)
      if (name === 'attachment.add') continue // B uploaded that file; A's own path is in files.test
      const res = await pushAs(server, alex, randomUUID(), [m])
      const [result] = (res.json() as PushResponse).results as MutationResult[]
      expect({ name, code: result?.code }).not.toEqual({ name, code: 'forbidden' })
    }
  })
})
