// @ts-check
import { eachLimit } from './rush.mjs'

/**
 * The checks behind `correct`, each counted and each failure described (the first few):
 *
 * 1. answers: every action's first answer was applied (or duplicate, when its first try was cut
 *    off after the server committed), and every deliberate resend was answered duplicate;
 * 2. once, in the database: every action has its applied processed_mutations record, and its
 *    effect is there exactly once: the note, the photo record and its bytes; a job's version
 *    went up once per status change, a form's once per answer;
 * 3. in order: a device's notes and photos carry non-decreasing revisions in the order it made
 *    them (the server applied them in that order);
 * 4. the local copy: after a last pull, every device's copy (pages and deltas put over each
 *    other, removals applied) equals a cold pull made now, apart from jobs that left the window
 *    as time passed (which the app's retention clears);
 * 5. the scope, independently: the cold pull's jobs are exactly the technician's jobs with an
 *    appointment in the window (SQL written here, not the server's), with every row of theirs.
 *
 * @param {{ devices: import('./device.mjs').Device[], office: import('./device.mjs').Device, officeComplete: boolean, pool: import('pg').Pool, log: (...a: unknown[]) => void }} o
 */
export async function verify(o) {
  /** @type {Record<string, { checked: number, failed: number }>} */
  const checks = {}
  /** @type {string[]} */
  const problems = []
  /** @param {string} name @param {boolean} ok @param {() => string} what */
  const check = (name, ok, what) => {
    const c = checks[name] ?? { checked: 0, failed: 0 }
    checks[name] = c
    c.checked++
    if (!ok) {
      c.failed++
      if (problems.length < 40) problems.push(`${name}: ${what()}`)
    }
  }

  for (const d of o.devices) {
    for (const a of d.sent) {
      const [first, again] = a.answers
      check(
        'answers',
        first === 'applied' || first === 'duplicate',
        () => `${a.mutation.name} ${a.mutation.id} answered ${a.answers.join(', ')}`,
      )
      if (again !== undefined)
        check('resends', again === 'duplicate', () => `resent ${a.mutation.id} answered ${again}`)
    }
  }

  await checkDatabase(o, check)
  o.log('checked answers and the database; comparing every device with a cold pull')

  let agedOut = 0
  await eachLimit(o.devices, 8, async (d) => {
    await d.pull('delta')
    const fresh = await coldCopy(d)
    agedOut += dropAgedOut(d.local, fresh.from)
    compare(`copy ${d.o.email}`, d.local, fresh.copy, check)
    await checkScope(o.pool, d.userId, fresh, check)
  })
  if (o.officeComplete) {
    const fresh = await coldCopy(o.office)
    await checkScope(o.pool, null, fresh, check)
  }
  const correct = problems.length === 0 && Object.values(checks).every((c) => c.failed === 0)
  return { correct, checks, problems, agedOutJobs: agedOut }
}

/** @typedef {(name: string, ok: boolean, what: () => string) => void} Check */

/** @param {{ devices: import('./device.mjs').Device[], pool: import('pg').Pool }} o @param {Check} check */
async function checkDatabase(o, check) {
  for (const d of o.devices) {
    const ids = d.sent.map((a) => a.mutation.id)
    const { rows: records } = await o.pool.query(
      'select id, seq, status from processed_mutations where user_id = $1 and id = any($2)',
      [d.userId, ids],
    )
    const byId = new Map(records.map((r) => [r.id, r]))
    for (const a of d.sent) {
      const r = byId.get(a.mutation.id)
      check(
        'recorded',
        r?.status === 'applied' && Number(r.seq) === a.mutation.seq,
        () => `${a.mutation.id}: ${JSON.stringify(r)}`,
      )
    }
    const notes = d.sent.filter((a) => a.kind === 'note')
    const photos = d.sent.filter((a) => a.kind === 'photo')
    const { rows: noteRows } = await o.pool.query(
      'select id, job_id, body, rev from notes where id = any($1)',
      [notes.map((a) => a.mutation.args.id)],
    )
    const { rows: photoRows } = await o.pool.query(
      `select a.id, a.job_id, a.sha256, a.rev, f.sha256 as file_sha256 from attachments a
       left join attachment_files f on f.id = a.id where a.id = any($1)`,
      [photos.map((a) => a.mutation.args.id)],
    )
    const written = new Map([...noteRows, ...photoRows].map((r) => [r.id, r]))
    /** @type {number[]} */
    const revs = []
    for (const a of d.sent) {
      const args = a.mutation.args
      if (a.kind !== 'note' && a.kind !== 'photo') continue
      const row = written.get(args.id)
      const same =
        row?.job_id === args.jobId &&
        (a.kind === 'note'
          ? row.body === args.body
          : row.sha256 === args.sha256 && row.file_sha256 === args.sha256)
      check(
        'once',
        Boolean(same),
        () => `${a.kind} ${args.id} on ${args.jobId}: ${JSON.stringify(row)?.slice(0, 120)}`,
      )
      if (row) revs.push(Number(row.rev))
    }
    check(
      'order',
      revs.every((r, i) => i === 0 || r >= (revs[i - 1] ?? 0)),
      () => `${d.o.email}: revisions ${revs.join(',')}`,
    )

    const edits = countBy(
      d.sent.filter((a) => a.kind === 'status'),
      (a) => a.mutation.args.jobId,
    )
    const { rows: jobRows } = await o.pool.query(
      'select id, version from jobs where id = any($1)',
      [[...edits.keys()]],
    )
    for (const j of jobRows) {
      check(
        'once',
        j.version === 1 + (edits.get(j.id) ?? 0),
        () => `job ${j.id} version ${j.version}, ${edits.get(j.id)} status changes`,
      )
    }
    const answers = countBy(
      d.sent.filter((a) => a.kind === 'form'),
      (a) => a.mutation.args.formId,
    )
    const { rows: formRows } = await o.pool.query(
      'select id, version from job_forms where id = any($1)',
      [[...answers.keys()]],
    )
    for (const f of formRows) {
      check(
        'once',
        f.version === 1 + (answers.get(f.id) ?? 0),
        () => `form ${f.id} version ${f.version}, ${answers.get(f.id)} answers`,
      )
    }
  }
}

/** @template T @param {T[]} list @param {(item: T) => string} key */
function countBy(list, key) {
  /** @type {Map<string, number>} */
  const counts = new Map()
  for (const item of list) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return counts
}

/**
 * A cold pull made now by the device's session into a copy of its own (the device's copy is
 * left as it is), and the start of the window it was made in.
 * @param {import('./device.mjs').Device} d
 */
async function coldCopy(d) {
  /** @type {Map<string, any>} */
  const copy = new Map()
  let cursor = null
  let serverTime = ''
  for (;;) {
    const path = `/api/sync/pull${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`
    const res = await d.call('check.page', 'GET', path)
    for (const [table, list] of Object.entries(res.body.changes)) {
      for (const row of /** @type {any[]} */ (list)) copy.set(`${table}:${row.id}`, row)
    }
    serverTime ||= res.body.serverTime
    cursor = res.body.cursor
    if (!res.body.more) break
  }
  const from = new Date(Date.parse(serverTime) - 30 * 86_400_000).toISOString()
  const to = new Date(Date.parse(serverTime) + 8 * 86_400_000).toISOString()
  return { copy, from, to }
}

/**
 * Jobs whose every appointment now starts before the window (time passed during the run) are
 * still on the device until its retention clears them; the cold pull no longer has them. They
 * and what hangs on them are taken out of the device's copy before comparing.
 * @param {Map<string, any>} local @param {string} from
 */
function dropAgedOut(local, from) {
  /** @type {Map<string, string>} latest start per job */
  const latest = new Map()
  for (const [key, row] of local) {
    if (key.startsWith('appointments:') && (latest.get(row.jobId) ?? '') < row.startsAt)
      latest.set(row.jobId, row.startsAt)
  }
  const old = new Set([...latest].filter(([, start]) => start < from).map(([job]) => job))
  if (old.size === 0) return 0
  for (const [key, row] of local) {
    if ((key.startsWith('jobs:') && old.has(row.id)) || (row.jobId && old.has(row.jobId)))
      local.delete(key)
  }
  const customers = new Set(
    [...local].filter(([k]) => k.startsWith('jobs:')).map(([, j]) => j.customerId),
  )
  for (const [key, row] of local) {
    if (key.startsWith('customers:') && !customers.has(row.id)) local.delete(key)
  }
  return old.size
}

/** @param {string} name @param {Map<string, any>} mine @param {Map<string, any>} fresh @param {Check} check */
function compare(name, mine, fresh, check) {
  const missing = [...fresh.keys()].filter((k) => !mine.has(k))
  const extra = [...mine.keys()].filter((k) => !fresh.has(k))
  const differ = [...fresh.keys()].filter(
    (k) => mine.has(k) && JSON.stringify(mine.get(k)) !== JSON.stringify(fresh.get(k)),
  )
  check(
    'copies',
    missing.length + extra.length + differ.length === 0,
    () =>
      `${name}: missing ${missing.slice(0, 3).join(' ')} (${missing.length}), extra ${extra.slice(0, 3).join(' ')} (${extra.length}), different ${differ.slice(0, 3).join(' ')} (${differ.length})`,
  )
}

const CHILDREN = /** @type {const} */ ([
  ['appointments', 'appointments'],
  ['notes', 'notes'],
  ['jobForms', 'job_forms'],
  ['attachments', 'attachments'],
  ['estimates', 'estimates'],
  ['invoices', 'invoices'],
  ['payments', 'payments'],
  ['signatures', 'signatures'],
])

/**
 * The cold pull's jobs against the scope computed here, and each child table's rows of those jobs
 * by count; customers by id. `technicianId` null: the office (every technician).
 * @param {import('pg').Pool} pool @param {string | null} technicianId
 * @param {{ copy: Map<string, any>, from: string, to: string }} fresh @param {Check} check
 */
async function checkScope(pool, technicianId, fresh, check) {
  const who = technicianId ?? 'office'
  const { rows } = await pool.query(
    `select j.id, j.customer_id from jobs j
     where ($1::text is null or j.technician_id = $1)
       and exists (select 1 from appointments a where a.job_id = j.id and a.starts_at >= $2 and a.starts_at < $3)`,
    [technicianId, fresh.from, fresh.to],
  )
  const jobs = new Set(rows.map((r) => r.id))
  const pulled = [...fresh.copy.keys()].filter((k) => k.startsWith('jobs:')).map((k) => k.slice(5))
  check(
    'scope',
    pulled.length === jobs.size && pulled.every((id) => jobs.has(id)),
    () => `${who}: pulled ${pulled.length} jobs, the scope has ${jobs.size}`,
  )
  const customers = new Set(rows.map((r) => r.customer_id))
  const pulledCustomers = [...fresh.copy.keys()].filter((k) => k.startsWith('customers:'))
  check(
    'scope',
    pulledCustomers.length === customers.size,
    () => `${who}: pulled ${pulledCustomers.length} customers, the scope has ${customers.size}`,
  )
  for (const [name, table] of CHILDREN) {
    const { rows: count } = await pool.query(
      `select count(*)::int as n from ${table} where job_id = any($1)`,
      [[...jobs]],
    )
    const got = [...fresh.copy.keys()].filter((k) => k.startsWith(`${name}:`)).length
    check(
      'scope',
      got === count[0]?.n,
      () => `${who}: pulled ${got} ${name}, the scope has ${count[0]?.n}`,
    )
  }
}
