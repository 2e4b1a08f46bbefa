// @ts-check
import { randomUUID } from 'node:crypto'

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DOCUMENT_GENERATORS, FILE_BYTES } from './datasetDocuments.mjs'

/**
 * The pre-load data set: a busy technician's 30 days (and the week ahead) for ONE technician,
 * written straight into the server's SQLite file (the server is running; SQLite's WAL lets it
 * read meanwhile), all rows stamped with one new revision, exactly as a dispatcher's bulk import
 * would land. Every kind the device stores is there: customers, jobs (some labelled), their
 * appointments (a fifth with a follow-up visit), notes, and in datasetDocuments.mjs labels, job
 * forms with answers, photo/PDF records with thumbnails, estimates and invoices with line items,
 * payments and signatures. At scale 1 that is ~10,000 rows, plus the demo data Sam already has.
 *
 * Each table is one generator function: (ctx) => { table, rows }, run in order (a later one
 * reads the rows of earlier ones from ctx.out).
 *
 * @typedef {{ technicianId: string, now: Date, scale: number, rev: number,
 *   firstJobNumber: number, out: Record<string, Array<Record<string, unknown>>> }} GenContext
 * @typedef {(ctx: GenContext) => { table: string, rows: Array<Record<string, unknown>> }} Generator
 */

const DAY = 86_400_000
const WORDS =
  'replaced checked flushed tightened inspected cleaned tested adjusted sealed measured valve filter pump breaker thermostat gasket pipe wiring duct compressor drain heater'.split(
    ' ',
  )

/** A deterministic little PRNG, so two runs generate the same shapes. */
function rng(seed = 42) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}
export const random = rng()
/** @param {number} n */
export const words = (n) =>
  Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ')

/** @type {Generator} */
function customers(ctx) {
  const rows = Array.from({ length: Math.round(500 * ctx.scale) }, (_, i) => ({
    id: randomUUID(),
    name: `Bench Customer ${i}`,
    phones: JSON.stringify([`(555) 100-${String(i).padStart(4, '0')}`]),
    email: `customer${i}@bench.example`,
    address: `${100 + i} Benchmark Road, Testville`,
    version: 1,
    rev: ctx.rev,
  }))
  return { table: 'customers', rows }
}

/** @type {Generator} */
function jobs(ctx) {
  const owners = ctx.out.customers ?? []
  const rows = Array.from({ length: Math.round(1000 * ctx.scale) }, (_, i) => {
    const customer = owners[i % owners.length]
    return {
      id: randomUUID(),
      number: ctx.firstJobNumber + i,
      title: `Bench job ${i}: ${words(3)}`,
      description: words(24),
      address: /** @type {string} */ (customer?.address),
      status: 'scheduled',
      label_ids: JSON.stringify(i % 4 === 1 ? [ctx.out.labels?.[i % 6]?.id] : []),
      customer_id: /** @type {string} */ (customer?.id),
      technician_id: ctx.technicianId,
      version: 1,
      rev: ctx.rev,
      updated_at: ctx.now.toISOString(),
    }
  })
  return { table: 'jobs', rows }
}

/**
 * One appointment per job, spread over the device's window (29 days back to 7 ahead: ~27 a
 * day), and a follow-up visit the next day for every fifth job (if still in the window).
 * @type {Generator}
 */
function appointments(ctx) {
  const list = ctx.out.jobs ?? []
  const today = new Date(ctx.now.getFullYear(), ctx.now.getMonth(), ctx.now.getDate()).getTime()
  /** @param {string} jobId @param {number} start */
  const visit = (jobId, start) => ({
    id: randomUUID(),
    job_id: jobId,
    starts_at: new Date(start).toISOString(),
    ends_at: new Date(start + 1_800_000).toISOString(),
    status: start + 1_800_000 < ctx.now.getTime() ? 'completed' : 'scheduled',
    version: 1,
    rev: ctx.rev,
  })
  const rows = list.flatMap((job, i) => {
    const offset = (i % 37) - 29
    const start = today + offset * DAY + 7 * 3_600_000 + (Math.floor(i / 37) % 24) * 1_800_000
    const first = visit(/** @type {string} */ (job.id), start)
    return i % 5 === 0 && offset < 7
      ? [first, visit(/** @type {string} */ (job.id), start + DAY)]
      : [first]
  })
  return { table: 'appointments', rows }
}

/** @type {Generator} */
function notes(ctx) {
  const list = ctx.out.jobs ?? []
  const rows = Array.from({ length: Math.round(4000 * ctx.scale) }, (_, i) => ({
    id: randomUUID(),
    job_id: list[i % list.length]?.id,
    author_id: ctx.technicianId,
    body: `Bench note ${i}: ${words(12)}`,
    created_at: new Date(ctx.now.getTime() - i * 60_000).toISOString(),
    rev: ctx.rev,
  }))
  return { table: 'notes', rows }
}

const [labels, ...documents] = DOCUMENT_GENERATORS
/** @type {Generator[]} */
export const GENERATORS = [
  /** @type {Generator} */ (labels),
  customers,
  jobs,
  appointments,
  notes,
  ...documents,
]

/**
 * Generates and inserts the data set in one transaction; returns rows per table.
 * Each photo/PDF record also gets its file: an attachment_files row and the bytes in the
 * server's local blob store (`filesDir`, laid out as server/blobs/local.ts does).
 * @param {import('better-sqlite3').Database} db
 * @param {{ technicianEmail: string, now: Date, scale: number, filesDir: string }} options
 */
export function insertDataset(db, { technicianEmail, now, scale, filesDir }) {
  const tech = /** @type {{ id: string } | undefined} */ (
    db.prepare('SELECT id FROM users WHERE email = ?').get(technicianEmail)
  )
  if (!tech) throw new Error(`no user ${technicianEmail}`)
  /** @type {Record<string, number>} */
  const counts = {}
  let lineItems = 0
  db.transaction(() => {
    const rev = /** @type {{ value: number }} */ (
      db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'rev' RETURNING value").get()
    ).value
    const maxNumber = /** @type {{ n: number }} */ (
      db.prepare('SELECT coalesce(max(number), 0) AS n FROM jobs').get()
    ).n
    /** @type {GenContext} */
    const ctx = { technicianId: tech.id, now, scale, rev, firstJobNumber: maxNumber + 1, out: {} }
    for (const generate of GENERATORS) {
      const { table, rows } = generate(ctx)
      ctx.out[table] = rows
      counts[table] = rows.length
      for (const row of rows)
        if (typeof row.line_items === 'string') lineItems += JSON.parse(row.line_items).length
      const first = rows[0]
      if (!first) continue
      const columns = Object.keys(first)
      const insert = db.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
      )
      for (const row of rows) insert.run(row)
    }
    const addFile = db.prepare(
      'INSERT INTO attachment_files (id, sha256, size, mime_type, uploaded_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    for (const a of ctx.out.attachments ?? []) {
      const key = String(a.id).toLowerCase()
      mkdirSync(join(filesDir, key.slice(0, 2)), { recursive: true })
      writeFileSync(join(filesDir, key.slice(0, 2), key), FILE_BYTES)
      addFile.run(a.id, a.sha256, a.size, a.mime_type, a.uploaded_by, a.created_at)
    }
  })()
  return { technicianId: tech.id, counts, lineItems }
}
