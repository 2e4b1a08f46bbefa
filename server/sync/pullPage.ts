import type { Kysely } from 'kysely'
import type { User } from '../../protocol/auth'
import { ENTITY_TABLES } from '../../protocol/entities'
import type { PullResponse, Removal } from '../../protocol/sync'
import { labelColumns, toLabel } from '../db/rows'
import type { Database } from '../db/schema'
import type { Position, Stream } from './cursor'
import { GROUP_TABLES, keyOf, readGroupTable } from './pullTables'
import { readRemovals } from './removals'
import { scopeGroup } from './scope'
import { type StreamWindow, streamWindow } from './window'

export interface PageLimits {
  /** Rows (entities and removals) per page. */
  rows: number
  /** Stop adding tables to a page once its rows hold about this many bytes of text. */
  bytes: number
  /** Jobs read per group. */
  groupJobs: number
  /** Rows per query of the heavy tables (data: URLs of up to hundreds of KB each). */
  heavyRows: number
}

export const DEFAULT_PAGE_ROWS = 2000
export const PAGE_BYTES = 4_000_000
const GROUP_JOBS = 100
const HEAVY_ROWS = 100

export function pageLimits(rows = DEFAULT_PAGE_ROWS): PageLimits {
  return {
    rows,
    bytes: PAGE_BYTES,
    groupJobs: Math.min(GROUP_JOBS, rows),
    heavyRows: Math.min(HEAVY_ROWS, rows),
  }
}

/** One page being filled: its rows so far and the room left. */
class Page {
  readonly changes = Object.fromEntries(
    ENTITY_TABLES.map((t) => [t, [] as unknown[]]),
  ) as PullResponse['changes'] & Record<string, unknown[]>
  readonly removed: Removal[] = []
  private readonly customers = new Set<string>()
  rows = 0
  private bytes = 0

  constructor(readonly limits: PageLimits) {}

  room(heavy = false): number {
    const left = this.limits.rows - this.rows
    return heavy ? Math.min(left, this.limits.heavyRows) : left
  }

  full(): boolean {
    return this.rows >= this.limits.rows || this.bytes >= this.limits.bytes
  }

  /**
   * Adds rows; with `budget`, stops once the page is over its byte budget (always taking one, so
   * a pull moves on) and returns how many of `raw` it took. A query of heavy rows (signatures of
   * up to 500 KB each, 100 a query) put up to 50 MB on a page meant to hold about 4.
   */
  add(
    table: string,
    raw: Array<Record<string, unknown>>,
    map: (row: unknown) => unknown,
    budget = false,
  ): number {
    const list = this.changes[table] as unknown[]
    let taken = 0
    for (const row of raw) {
      if (budget && taken > 0 && this.bytes >= this.limits.bytes) return taken
      taken++
      // A customer of jobs in two groups is read twice; once per page is enough (across pages
      // it can still come twice, harmlessly: the device puts it over itself).
      if (table === 'customers') {
        if (this.customers.has(row.id as string)) continue
        this.customers.add(row.id as string)
      }
      list.push(map(row))
      this.bytes += textBytes(row)
      this.rows++
    }
    return taken
  }

  addRemovals(removed: Removal[], read: number): void {
    this.removed.push(...removed)
    this.rows += read
  }
}

/** About the size of a row's text, for the page's byte budget (cheaper than serialising it). */
function textBytes(row: Record<string, unknown>): number {
  let n = 16
  for (const value of Object.values(row)) n += typeof value === 'string' ? value.length + 8 : 12
  return n
}

export interface BuiltPage {
  changes: PullResponse['changes']
  removed: Removal[]
  rows: number
  /** Where the next page starts; null when the pull is complete. */
  next: Position | null
}

/**
 * Fills one page of a pull, phase after phase, from where the stream stands:
 *
 * 1. removals (a technician's delta only): tombstones after the cursor, so a row that left and
 *    came back is deleted before it is sent again, never after;
 * 2. labels (company-wide: all on a full pull, those changed since on a delta);
 * 3. the user's jobs in scope, a group of ≤ 100 at a time in id order, each group's tables in
 *    GROUP_TABLES order. Full pull: every row. Delta: rows changed after the cursor, plus every
 *    row of jobs that entered the window since the cursor's window end.
 *
 * A page stops at `limits.rows` rows (or about `limits.bytes` of text) wherever it is, even
 * inside a job's notes, and says where the next one starts; so the server holds one page at a
 * time whatever the scope (a technician's ten years, a dispatcher's whole company).
 *
 * Pages are read in separate transactions, so rows written while a pull is under way may come
 * in a later page already (harmless: the device puts a row over itself) or not at all if their
 * place was passed; those carry a revision above the stream's, so the next delta sends them.
 */
export async function buildPage(
  db: Kysely<Database>,
  user: User,
  stream: Stream,
  limits: PageLimits,
): Promise<BuiltPage> {
  const page = new Page(limits)
  const window = streamWindow(stream)
  let at: Position | null = stream.at
  while (at && !page.full()) {
    if (at.phase === 'removals') at = await removalsStep(db, user, stream, window, at, page)
    else if (at.phase === 'labels') at = await labelsStep(db, stream, at, page)
    else at = await jobsStep(db, user, stream, window, at, page)
  }
  return { changes: page.changes, removed: page.removed, rows: page.rows, next: at }
}

/** Where a stream starts: removals first on a technician's delta, else labels. */
export function firstPosition(user: User, since: Stream['since']): Position {
  return since && user.role === 'technician'
    ? { phase: 'removals', after: null }
    : { phase: 'labels', after: null }
}

const LABELS: Position = { phase: 'labels', after: null }
const JOBS: Position = { phase: 'jobs', after: null, group: null }

async function removalsStep(
  db: Kysely<Database>,
  user: User,
  stream: Stream,
  window: StreamWindow,
  at: Extract<Position, { phase: 'removals' }>,
  page: Page,
): Promise<Position> {
  if (!stream.since) return LABELS
  const limit = page.room()
  const { removed, read, last } = await readRemovals(db, {
    technicianId: user.id,
    sinceRev: stream.since.rev,
    untilRev: stream.rev,
    after: at.after,
    limit,
    window: window.scope,
  })
  page.addRemovals(removed, read)
  return read < limit ? LABELS : { phase: 'removals', after: last }
}

async function labelsStep(
  db: Kysely<Database>,
  stream: Stream,
  at: Extract<Position, { phase: 'labels' }>,
  page: Page,
): Promise<Position> {
  const limit = page.room()
  const since = stream.since
  const rows = await db
    .selectFrom('labels')
    .select(labelColumns)
    .$if(since !== null, (qb) => qb.where('labels.rev', '>', since?.rev ?? 0))
    .$if(at.after !== null, (qb) => qb.where('labels.id', '>', at.after as string))
    .orderBy('labels.id')
    .limit(limit)
    .execute()
  page.add('labels', rows, toLabel as (row: unknown) => unknown)
  const last = rows.at(-1)
  return rows.length < limit || !last ? JOBS : { phase: 'labels', after: last.id }
}

/**
 * One group of jobs (or the rest of one a page ended inside): its tables in order, until the
 * page is full. Returns the next group's start, or where inside this group to go on.
 */
async function jobsStep(
  db: Kysely<Database>,
  user: User,
  stream: Stream,
  window: StreamWindow,
  at: Extract<Position, { phase: 'jobs' }>,
  page: Page,
): Promise<Position | null> {
  const jobs = await scopeGroup(db, {
    technicianId: user.role === 'technician' ? user.id : null,
    window: window.scope,
    entered: window.entered,
    after: at.after,
    upTo: at.group?.last ?? null,
    limit: page.limits.groupJobs,
  })
  // Re-reading a group a page ended inside: jobs that entered its id range meanwhile can push
  // some of its own past the group size. Those then start the next group, from its first table
  // (sent twice in part, harmlessly); the newcomers miss the tables already passed, but they were
  // re-stamped when they came, so the next delta sends them whole.
  const lastRead = jobs.at(-1)?.id
  const truncated = at.group && jobs.length === page.limits.groupJobs && lastRead
  const last = truncated ? lastRead : (at.group?.last ?? lastRead)
  if (jobs.length === 0 || !last) {
    // Nothing left after `after` (or the rest of this group left the scope meanwhile).
    return at.group ? { phase: 'jobs', after: at.group.last, group: null } : null
  }
  const jobIds = jobs.map((j) => j.id)
  const wholeJobs = jobs.filter((j) => j.entered).map((j) => j.id)
  const customerIds = [...new Set(jobs.map((j) => j.customer_id))]
  const wholeCustomers = [...new Set(jobs.filter((j) => j.entered).map((j) => j.customer_id))]

  let key = at.group?.key ?? null
  for (let t = at.group?.table ?? 0; t < GROUP_TABLES.length; t++) {
    const spec = GROUP_TABLES[t] as (typeof GROUP_TABLES)[number]
    if (page.full()) return { phase: 'jobs', after: at.after, group: { last, table: t, key } }
    const limit = page.room(spec.heavy)
    const rows = await readGroupTable(db, spec, {
      ids: spec.byCustomer ? customerIds : jobIds,
      whole: spec.byCustomer ? wholeCustomers : wholeJobs,
      sinceRev: stream.since?.rev ?? null,
      after: key,
      limit,
    })
    const taken = page.add(spec.name, rows, spec.map, spec.heavy)
    if (rows.length === limit || taken < rows.length) {
      // Maybe more of this table (or the rest of these rows did not fit): go on from the last
      // row taken, on this page if there is room.
      const lastRow = rows[taken - 1]
      return {
        phase: 'jobs',
        after: at.after,
        group: { last, table: t, key: lastRow ? keyOf(spec, lastRow) : key },
      }
    }
    key = null
  }
  return { phase: 'jobs', after: last, group: null }
}
