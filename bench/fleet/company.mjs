// @ts-check
import { randomBytes, scryptSync } from 'node:crypto'
import { pngDataUrl } from './png.mjs'

/**
 * A generated company, written straight into PostgreSQL with INSERT … SELECT over
 * generate_series (the database makes the rows itself: about 100k rows a second here, no
 * round trip per row). Ids are md5-derived UUIDs, so the simulator and the checks can name any
 * row without asking: technician i is `user.i`, their job j is `job.i.j`, and so on.
 *
 * Size 1× is 50 technicians; each has 20 customers and 200 jobs spread over 180 days (170 back
 * to 9 ahead), about 42 of them in the sync window (30 days back, 8 ahead), with 1–2
 * appointments, 1–3 notes, and now and then a form, a photo record (3 KB thumbnail), an estimate,
 * an invoice, a payment and a signature: about 1,070 rows per technician, ~230 of them in scope.
 * 100× is 5,000 technicians, 1,000,000 jobs and 5.4 million rows.
 *
 * Rows go in day by day across all the technicians being added (ORDER BY j, i), so one
 * technician's jobs are scattered over the table as real ones would be, not packed together.
 * Growing a company adds technicians [from, to); the ones already there keep their rows.
 */
export const TECHS_PER_SIZE = 50
export const JOBS_PER_TECH = 200
export const CUSTOMERS_PER_TECH = 20
export const PASSWORD = 'fieldline'
export const DISPATCHER_EMAIL = 'dispatch@fleet.test'

/** @param {number} i */
export const techEmail = (i) => `tech${i}@fleet.test`

/**
 * The server's password hash format (server/auth/password.ts), computed once for everyone: the
 * same salt for all is fine for a bench and saves 5,000 scrypt runs.
 * @param {string} password
 */
export function passwordHash(password) {
  const salt = randomBytes(16)
  const key = scryptSync(password.normalize('NFKC'), salt, 32, { N: 16384, r: 8, p: 1 })
  return ['scrypt', 16384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')
}

/** @typedef {{ query: (text: string, values?: unknown[]) => Promise<{ rowCount: number | null, rows: any[] }> }} Queryable */

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`
/** @param {string} ts */
const iso = (ts) => `to_char(${ts}, ${ISO})`
// $1 from, $2 to (technician indexes), $3 now (epoch ms). `base` is today's midnight UTC.
const BASE = `date_trunc('day', to_timestamp($3::double precision / 1000) at time zone 'UTC')`
const RANGE = `generate_series(0, ${JOBS_PER_TECH - 1}) j, generate_series($1::int, $2::int - 1) i`
const DAY = `(floor(j * 0.9)::int - 170)`
const JOB_ID = `md5('job.' || i || '.' || j)::uuid::text`
const USER_ID = `md5('user.' || i)::uuid::text`
const LABEL_IDS = [0, 1, 2, 3, 4, 5].map((k) => `md5('label.${k}')::uuid::text`)
const LINE_ITEMS = JSON.stringify([
  {
    id: 'd1c3a0a4-0b39-4f7e-9a55-1f0c3a9e0b01',
    description: 'Labour (hours)',
    quantity: 2,
    unitPriceCents: 9500,
  },
  {
    id: 'd1c3a0a4-0b39-4f7e-9a55-1f0c3a9e0b02',
    description: 'Parts',
    quantity: 1,
    unitPriceCents: 14250,
  },
])
const FORM_FIELDS = JSON.stringify([
  {
    id: 'f0a1b2c3-0000-4000-8000-000000000001',
    label: 'Serial number',
    type: 'text',
    required: true,
  },
  { id: 'f0a1b2c3-0000-4000-8000-000000000002', label: 'Pressure (bar)', type: 'number' },
  { id: 'f0a1b2c3-0000-4000-8000-000000000003', label: 'Leak found', type: 'yesno' },
])
export const FORM_FIELD_IDS = JSON.parse(FORM_FIELDS).map((/** @type {{id: string}} */ f) => f.id)
const TITLES = [
  'Replace water heater',
  'Breaker keeps tripping',
  'Annual boiler service',
  'Install GFCI outlets',
  'Fix leaking tap',
  'Thermostat not responding',
  'Clogged main drain',
  'Ceiling fan install',
]
const NOTES = [
  'Customer asked us to call 30 minutes before arriving; side gate code is 4471.',
  'Replaced the anode rod, flushed the tank, pressure relief valve tested and working.',
  'Found corrosion on the supply line, quoted a replacement; customer will think about it.',
  'Parts ordered from the supplier, expected Thursday. Follow-up visit booked.',
  'Dog in the back yard is friendly. Water shut-off is in the garage behind the shelves.',
]
/** @param {string[]} list */
const sqlArray = (list) => `array[${list.map((s) => `'${s.replaceAll("'", "''")}'`).join(',')}]`

/**
 * Adds technicians [from, to) with everything they have, and the labels and the dispatcher if
 * they are not there yet. The database must be migrated (the server's migrations) and empty of
 * these technicians. Returns rows written per table.
 * @param {Queryable} db
 * @param {{ from: number, to: number, now: number, hash: string }} o
 */
export async function addTechnicians(db, o) {
  /** @type {unknown[]} */
  const params = [o.from, o.to, o.now]
  /** @type {Record<string, number>} */
  const rows = {}
  /** @param {string} table @param {string} text @param {unknown[]} [values] */
  const run = async (table, text, values = params) => {
    const res = await db.query(text, values)
    rows[table] = (rows[table] ?? 0) + (res.rowCount ?? 0)
  }
  const thumb = pngDataUrl(32, 24, 7)
  const signature = pngDataUrl(40, 16, 11)

  await run(
    'labels',
    `insert into labels (id, name, color, rev)
     select md5('label.' || k)::uuid::text, (${sqlArray(['Warranty', 'Urgent', 'VIP', 'Estimate pending', 'Callback', 'Parts on order'])})[k + 1],
            (${sqlArray(['#2563eb', '#dc2626', '#7c3aed', '#d97706', '#059669', '#475569'])})[k + 1], 1
     from generate_series(0, 5) k on conflict (id) do nothing`,
    [],
  )
  await run(
    'users',
    `insert into users (id, email, name, role, password_hash)
     values (md5('user.dispatcher')::uuid::text, $1, 'Office Dispatcher', 'dispatcher', $2)
     on conflict (id) do nothing`,
    [DISPATCHER_EMAIL, o.hash],
  )
  await run(
    'users',
    `insert into users (id, email, name, role, password_hash)
     select ${USER_ID}, 'tech' || i || '@fleet.test', 'Technician ' || i, 'technician', $3::text
     from generate_series($1::int, $2::int - 1) i order by i`,
    [o.from, o.to, o.hash],
  )
  await run(
    'customers',
    `insert into customers (id, name, phones, email, address, version, rev)
     select md5('customer.' || i || '.' || k)::uuid::text, 'Customer ' || i || '-' || k,
            '["(555) ' || lpad((i % 1000)::text, 3, '0') || '-' || lpad(k::text, 4, '0') || '"]',
            'customer' || i || '.' || k || '@example.com',
            (100 + k * 7) || ' ' || (${sqlArray(['Maple Avenue', 'Oak Street', 'Cedar Lane', 'Pine Road', 'Elm Drive'])})[1 + k % 5] || ', Springfield',
            1, 1
     from generate_series(0, ${CUSTOMERS_PER_TECH - 1}) k, generate_series($1::int, $2::int - 1) i
     order by k, i`,
    [o.from, o.to],
  )
  await run(
    'jobs',
    `insert into jobs (id, number, title, description, address, status, customer_id, technician_id,
                       label_ids, version, rev, updated_at)
     select ${JOB_ID}, i * ${JOBS_PER_TECH} + j + 1, (${sqlArray(TITLES)})[1 + (i + j) % ${TITLES.length}],
            'Reported by the customer: ' || (${sqlArray(NOTES)})[1 + (i * 3 + j) % ${NOTES.length}],
            (100 + (j % ${CUSTOMERS_PER_TECH}) * 7) || ' Maple Avenue, Springfield',
            case when ${DAY} < 0 then 'completed' else 'scheduled' end,
            md5('customer.' || i || '.' || (j % ${CUSTOMERS_PER_TECH}))::uuid::text, ${USER_ID},
            case when j % 10 = 7 then '["' || ${LABEL_IDS[1]} || '"]' else '[]' end,
            1, 1, ${iso(`${BASE} + (${DAY} - 3) * interval '1 day'`)}
     from ${RANGE} order by j, i`,
  )
  // A fifth of the jobs get a follow-up visit the next day (n = 1).
  await run(
    'appointments',
    `insert into appointments (id, job_id, starts_at, ends_at, status, version, rev)
     select md5('appt.' || i || '.' || j || '.' || n)::uuid::text, ${JOB_ID},
            ${iso(`${BASE} + (${DAY} + n) * interval '1 day' + (8 + (j % 4) * 2 + n) * interval '1 hour'`)},
            ${iso(`${BASE} + (${DAY} + n) * interval '1 day' + (9 + (j % 4) * 2 + n) * interval '1 hour' + interval '30 minutes'`)},
            case when ${DAY} + n < 0 then 'completed' else 'scheduled' end, 1, 1
     from ${RANGE}, generate_series(0, 1) n where n = 0 or j % 5 = 0 order by j, i, n`,
  )
  await run(
    'notes',
    `insert into notes (id, job_id, author_id, body, created_at, rev)
     select md5('note.' || i || '.' || j || '.' || n)::uuid::text, ${JOB_ID}, ${USER_ID},
            (${sqlArray(NOTES)})[1 + (i + j + n) % ${NOTES.length}],
            ${iso(`${BASE} + ${DAY} * interval '1 day' + (10 + n) * interval '1 hour'`)}, 1
     from ${RANGE}, generate_series(0, 2) n where n <= j % 3 order by j, i, n`,
  )
  await run(
    'job_forms',
    `insert into job_forms (id, job_id, name, fields, answers, version, rev)
     select md5('form.' || i || '.' || j)::uuid::text, ${JOB_ID}, 'Inspection checklist', $3::text, '{}', 1, 1
     from ${RANGE} where j % 3 = 0 order by j, i`,
    [o.from, o.to, FORM_FIELDS],
  )
  await run(
    'attachments',
    `insert into attachments (id, job_id, kind, filename, mime_type, size, sha256, taken_at,
                              thumbnail, created_at, uploaded_by, rev)
     select md5('photo.' || i || '.' || j)::uuid::text, ${JOB_ID}, 'photo', 'photo-' || j || '.jpg',
            'image/jpeg', 180000 + j, md5('a' || i || '.' || j) || md5('b' || i || '.' || j),
            ${iso(`${BASE} + ${DAY} * interval '1 day' + interval '11 hours'`)}, $4::text,
            ${iso(`${BASE} + ${DAY} * interval '1 day' + interval '11 hours'`)}, ${USER_ID}, 1
     from ${RANGE} where j % 5 = 1 order by j, i`,
    [...params, thumb],
  )
  for (const [table, prefix, when] of [
    ['estimates', 'E', 2],
    ['invoices', 'I', 3],
  ]) {
    await run(
      /** @type {string} */ (table),
      `insert into ${table} (id, job_id, number, status, line_items, tax_rate_bps, created_at, version, rev)
       select md5('${table}.' || i || '.' || j)::uuid::text, ${JOB_ID},
              '${prefix}-' || (i * ${JOBS_PER_TECH} + j + 1), 'sent', $4::text, 825,
              ${iso(`${BASE} + ${DAY} * interval '1 day' + interval '12 hours'`)}, 1, 1
       from ${RANGE} where j % 6 = ${when} order by j, i`,
      [...params, LINE_ITEMS],
    )
  }
  await run(
    'payments',
    `insert into payments (id, invoice_id, job_id, method, amount_cents, reference, received_at, created_at, rev)
     select md5('payment.' || i || '.' || j)::uuid::text, md5('invoices.' || i || '.' || j)::uuid::text,
            ${JOB_ID}, 'cash', 33250, null,
            ${iso(`${BASE} + ${DAY} * interval '1 day' + interval '13 hours'`)},
            ${iso(`${BASE} + ${DAY} * interval '1 day' + interval '13 hours'`)}, 1
     from ${RANGE} where j % 12 = 3 order by j, i`,
  )
  await run(
    'signatures',
    `insert into signatures (id, job_id, subject_type, subject_id, signer_name, signed_at, image, rev)
     select md5('signature.' || i || '.' || j)::uuid::text, ${JOB_ID}, 'job', ${JOB_ID}, 'Customer ' || i,
            ${iso(`${BASE} + ${DAY} * interval '1 day' + interval '14 hours'`)}, $4::text, 1
     from ${RANGE} where j % 10 = 4 order by j, i`,
    [...params, signature],
  )
  // Every generated row is revision 1; the counter must not be behind it.
  await db.query(`update counters set value = greatest(value, 1) where name = 'rev'`)
  return rows
}

/**
 * Fresh statistics and visibility maps after a bulk load, as autovacuum would give them a while
 * later: the planner then sees the real sizes, and (job_id, …) probes can be index-only.
 * @param {Queryable} db
 */
export async function settle(db) {
  await db.query('vacuum (analyze)')
}
