import * as v from 'valibot'
import { unmetWants, type Want } from './expect'
import { toJsonText } from './json'
import { OFFICE_SCHEMAS, type OfficeRequest, type OfficeRoute } from './officeActions'
import type { Pair } from './pair'
import { isObj, sameRow } from './prepare'
import { both, CaseFailed, compareAnswers } from './pushCase'
import {
  changedKeys,
  compareChanges,
  type Entities,
  jsonEqual,
  preview,
  snapshot,
} from './snapshot'

/**
 * One office case: the same request by Dana to both stores, checked like a push: no 5xx, the same
 * status and error code, a body the route's schema refuses answered 400, the same changes in
 * both stores, what a 2xx wrote equal to the schema's parsed output, and a refusal changing
 * nothing.
 */

const ROUTES: Record<OfficeRoute, { method: 'POST' | 'PATCH'; path: string }> = {
  'job.patch': { method: 'PATCH', path: '/api/dispatch/jobs/' },
  'appointment.create': { method: 'POST', path: '/api/dispatch/appointments' },
  'appointment.patch': { method: 'PATCH', path: '/api/dispatch/appointments/' },
  'estimate.patch': { method: 'PATCH', path: '/api/dispatch/estimates/' },
  'invoice.patch': { method: 'PATCH', path: '/api/dispatch/invoices/' },
  'form.patch': { method: 'PATCH', path: '/api/dispatch/forms/' },
}

/** The key an appointment the server named itself gets in both stores' changes. */
const SERVER_NAMED = 'appointments:(named by the server)'

/** How many office cases were answered 2xx / refused (coverage). */
export interface OfficeTally {
  ok: number
  refused: number
}

export async function checkOfficeCase(
  pair: Pair,
  req: OfficeRequest,
  tally: OfficeTally = { ok: 0, refused: 0 },
): Promise<void> {
  const route = ROUTES[req.route]
  const body = isObj(req.body) ? req.body : {}
  const job =
    req.route === 'job.patch'
      ? req.id
      : req.route === 'appointment.create'
        ? typeof body.jobId === 'string'
          ? body.jobId
          : null
        : req.id && pair.pools.jobOf.get(req.id)
  const seeded = new Set([...pair.pools.jobs.mine, ...pair.pools.jobs.others])
  const jobs = job && seeded.has(job) ? [job] : []

  const before = await both(pair, (side) => snapshot(side, jobs))
  const text = toJsonText(req.body)
  const answers = await both(pair, (side) =>
    side.as('dana', {
      method: route.method,
      url: `${route.path}${req.id === null ? '' : encodeURIComponent(req.id)}`,
      headers: { 'content-type': 'application/json' },
      payload: text,
    }),
  )
  const problems = compareAnswers(`${route.method} ${route.path}`, answers)
  if (problems.length > 0) throw new CaseFailed(problems.join('\n'))

  const parsed = v.safeParse(OFFICE_SCHEMAS[req.route], JSON.parse(text))
  const ok = answers[0].status < 300
  if (ok) tally.ok++
  else tally.refused++
  if (!parsed.success && ok) {
    problems.push(
      `the route's schema refuses the body (${parsed.issues[0].message}), yet it answered ${answers[0].status}`,
    )
  }

  const after = await both(pair, (side) => snapshot(side, jobs))
  // An appointment created without an id gets a random one in each store: compare it by role.
  const named = answers.map((a) =>
    req.route === 'appointment.create' && ok && typeof body.id !== 'string'
      ? ((a.body as { appointment?: { id?: string } }).appointment?.id ?? null)
      : null,
  )
  const changes = [0, 1].map((s) => ({
    before: before[s]!,
    after: renamed(after[s]!, named[s] ?? null),
  }))
  problems.push(...compareChanges(changes[0]!, changes[1]!))

  // Whole answers are compared only when the stores agreed before (an earlier failure may have
  // left other fields of the row apart; the changes above are compared field by field anyway).
  const agreed = [...before[0].keys(), ...before[1].keys()].every((k) =>
    sameRow(k, before[0], before[1]),
  )
  if (ok && agreed) {
    const bodies = answers.map((a, s) => comparable(a.body, named[s] ?? null))
    if (!jsonEqual(bodies[0], bodies[1])) {
      problems.push(
        `answers differ: sqlite ${preview(bodies[0], 400)} / postgres ${preview(bodies[1], 400)}`,
      )
    }
  }

  for (const [s, side] of pair.sides.entries()) {
    const wants = ok && parsed.success ? officeWants(req, parsed.output, named[s] ?? null) : []
    for (const problem of unmetWants(wants, changes[s]!.before, changes[s]!.after)) {
      problems.push(`${side.store}: ${problem}`)
    }
    const changed = changedKeys(changes[s]!)
    if (!ok && changed.length > 0) {
      problems.push(
        `${side.store}: answered ${answers[s]!.status}, yet ${changed.join(', ')} changed`,
      )
    }
  }
  if (problems.length > 0) throw new CaseFailed(problems.join('\n'))
}

/** What a 2xx must have written, from the route schema's parsed output. */
function officeWants(req: OfficeRequest, parsed: unknown, named: string | null): Want[] {
  const p = parsed as Record<string, unknown>
  const eqs = (key: string, fields: string[]) =>
    fields.filter((f) => p[f] !== undefined).map((f) => ({ key, path: [f], eq: p[f] }))
  const times = (key: string) =>
    (['startsAt', 'endsAt'] as const)
      .filter((f) => typeof p[f] === 'string')
      .map((f) => ({ key, path: [f], time: p[f] as string }))
  switch (req.route) {
    case 'job.patch':
      return eqs(`jobs:${req.id}`, ['title', 'description', 'status', 'technicianId'])
    case 'appointment.create': {
      const key = named ? SERVER_NAMED : `appointments:${p.id}`
      return [
        { key, path: ['jobId'], eq: p.jobId },
        { key, path: ['status'], eq: p.status ?? 'scheduled' },
        ...times(key),
      ]
    }
    case 'appointment.patch':
      return [...eqs(`appointments:${req.id}`, ['status']), ...times(`appointments:${req.id}`)]
    case 'estimate.patch':
      return eqs(`estimates:${req.id}`, ['lineItems', 'status', 'taxRateBps'])
    case 'invoice.patch':
      return eqs(`invoices:${req.id}`, ['lineItems', 'status', 'taxRateBps'])
    case 'form.patch':
      return Object.entries(p.answers as Record<string, unknown>).map(([field, eq]) => ({
        key: `forms:${req.id}`,
        path: ['answers', field],
        eq,
      }))
  }
}

/** The rows with a server-named appointment under one key, the same in both stores. */
function renamed(rows: Entities, named: string | null): Entities {
  const key = `appointments:${named}`
  const row = rows.get(key)
  if (!named || !isObj(row)) return rows
  const out = new Map(rows)
  out.delete(key)
  out.set(SERVER_NAMED, { ...row, id: SERVER_NAMED })
  return out
}

/** An answer body without what may differ by store: versions, a server-made appointment id. */
function comparable(body: unknown, named: string | null): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) => {
    if (key === 'version') return undefined
    if (named && value === named) return SERVER_NAMED
    return value
  })
}
