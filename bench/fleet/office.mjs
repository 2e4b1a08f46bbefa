// @ts-check
import { DISPATCHER_EMAIL } from './company.mjs'
import { Device } from './device.mjs'

/**
 * The office during the day: a dispatcher who moves jobs between the technicians on the road
 * (each move sends a removal to one device and a whole job to another), and whose own device
 * pulls the whole company, page by page.
 *
 * Only odd-numbered jobs are moved (devices act on even ones), so no device action is refused.
 *
 * @param {{ cluster: import('./client.mjs').Cluster, recorder: import('./stats.mjs').Recorder, pool: import('pg').Pool }} o
 */
export async function officeDevice(o) {
  const office = new Device({
    index: 65_000,
    email: DISPATCHER_EMAIL,
    cluster: o.cluster,
    recorder: o.recorder,
    rng: Math.random,
    batchMax: 200,
    resendRate: 0,
  })
  await office.signIn()
  return office
}

/**
 * Moves one odd-numbered job in the window from one technician to another (both on the road),
 * through the office's API. Returns the move, or null when the first has no such job.
 * @param {Device} office @param {import('pg').Pool} pool @param {Device} from @param {Device} to
 */
export async function moveJob(office, pool, from, to) {
  const { rows } = await pool.query(
    `select j.id from jobs j
     where j.technician_id = $1 and j.number % 2 = 1
       and exists (select 1 from appointments a where a.job_id = j.id
                   and a.starts_at >= $2 and a.starts_at < $3)
     order by random() limit 1`,
    [
      from.userId,
      new Date(Date.now() - 29 * 86_400_000).toISOString(),
      new Date(Date.now() + 7 * 86_400_000).toISOString(),
    ],
  )
  const job = rows[0]
  if (!job) return null
  await office.call('office.move', 'PATCH', `/api/dispatch/jobs/${job.id}`, {
    json: { technicianId: to.userId },
  })
  return { jobId: job.id, from: from.userId, to: to.userId }
}

/**
 * The office's cold pull, page by page: all of it (`pages` 0) or the first `pages` pages, each
 * timed (`page.office`). Bounded pages keep each answer, and the instance's memory, small
 * whatever the size of the company.
 * @param {Device} office @param {number} pages
 */
export async function officePull(office, pages) {
  office.local.clear()
  office.cursor = null
  let n = 0
  let rows = 0
  let bytes = 0
  for (;;) {
    const path = `/api/sync/pull${office.cursor ? `?cursor=${encodeURIComponent(office.cursor)}` : ''}`
    const res = await office.call('page.office', 'GET', path)
    for (const [table, list] of Object.entries(res.body.changes)) {
      for (const row of /** @type {any[]} */ (list)) office.local.set(`${table}:${row.id}`, row)
      rows += /** @type {any[]} */ (list).length
    }
    office.cursor = res.body.cursor
    bytes += res.bytes
    n++
    if (!res.body.more) return { pages: n, rows, bytes, complete: true }
    if (pages > 0 && n >= pages) return { pages: n, rows, bytes, complete: false }
  }
}
