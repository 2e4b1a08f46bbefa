import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Id } from '../../protocol/fields'
import type { BlobStore } from '../../server/blobs/store'
import type { Db } from '../../server/db/connect'
import { migrateToLatest } from '../../server/db/migrate'
import { DEMO_USERS } from '../../server/db/seed/demoUsers'
import { type SeedCounts, seedIfEmpty } from '../../server/db/seed/seed'
import { createTestDatabase, type TestDatabase } from './stores'

const databases: TestDatabase[] = []

/** A migrated, empty database of this run's store (SQLite file or PostgreSQL database). */
async function freshDb(): Promise<{ db: Db; blobs: BlobStore }> {
  const database = await createTestDatabase()
  databases.push(database)
  await migrateToLatest(database.db.kysely)
  return database
}

afterAll(async () => {
  for (const database of databases) await database.drop()
})

describe('seed', () => {
  let db: Db
  let blobs: BlobStore
  let counts: SeedCounts | null
  let ms: number

  beforeAll(async () => {
    ;({ db, blobs } = await freshDb())
    const started = performance.now()
    counts = await seedIfEmpty(db.kysely, '2026-03-10', blobs)
    ms = performance.now() - started
  })

  it('creates the demo company', () => {
    expect(counts?.users).toBe(DEMO_USERS.length)
    expect(counts?.customers).toBe(40)
    const total = Object.values(counts ?? {}).reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(600)
    console.log(`seed: ${total} rows in ${ms.toFixed(0)} ms (4 scrypt hashes included)`)
  })

  it('gives every technician 2–4 appointments on every day between 08:00 and 17:00', async () => {
    const rows = await db.kysely
      .selectFrom('appointments')
      .innerJoin('jobs', 'jobs.id', 'appointments.job_id')
      .select([
        'jobs.technician_id',
        'appointments.starts_at',
        'appointments.ends_at',
        'appointments.status',
      ])
      .execute()
    const perDay = new Map<string, number>()
    for (const row of rows) {
      const start = new Date(row.starts_at)
      const end = new Date(row.ends_at)
      expect(start.getHours()).toBeGreaterThanOrEqual(8)
      expect(end.getHours() * 60 + end.getMinutes()).toBeLessThanOrEqual(17 * 60)
      const hours = (end.getTime() - start.getTime()) / 3600_000
      expect(hours).toBeGreaterThanOrEqual(1)
      expect(hours).toBeLessThanOrEqual(2)
      const key = `${row.technician_id} ${start.toDateString()}`
      perDay.set(key, (perDay.get(key) ?? 0) + 1)
      const past = start < new Date(2026, 2, 10)
      expect(row.status).toBe(past ? 'completed' : 'scheduled')
    }
    expect(perDay.size).toBe(3 * 38)
    for (const n of perDay.values()) {
      expect(n).toBeGreaterThanOrEqual(2)
      expect(n).toBeLessThanOrEqual(4)
    }
  })

  it('makes valid UUIDs and the same data every time', async () => {
    const { db: other } = await freshDb()
    await seedIfEmpty(other.kysely, '2026-03-10')
    const a = await db.kysely
      .selectFrom('jobs')
      .select(['id', 'number', 'title'])
      .orderBy('number')
      .execute()
    const b = await other.kysely
      .selectFrom('jobs')
      .select(['id', 'number', 'title'])
      .orderBy('number')
      .execute()
    expect(a).toEqual(b)
    expect(a[0]?.number).toBe(1001)
    for (const { id } of a) expect(v.is(Id, id)).toBe(true)
  })

  it('adds labels, forms, files, estimates, invoices, payments and signatures', async () => {
    const jobs = counts?.jobs ?? 0
    expect(counts?.labels).toBe(8)
    expect(counts?.forms).toBeGreaterThan(jobs * 0.7)
    expect(counts?.attachments).toBeGreaterThan(jobs * 0.2)
    expect(counts?.estimates).toBeGreaterThan(jobs * 0.3)
    expect(counts?.invoices).toBeGreaterThan(10)
    expect(counts?.payments).toBeGreaterThan(5)
    expect(counts?.signatures).toBeGreaterThan(2)
    const files = await db.kysely
      .selectFrom('attachments')
      .innerJoin('attachment_files', 'attachment_files.id', 'attachments.id')
      .select(['attachments.sha256 as a', 'attachment_files.sha256 as b'])
      .execute()
    expect(files).toHaveLength(counts?.attachments ?? -1)
    expect(files.every((f) => f.a === f.b)).toBe(true)
    const ids = await db.kysely.selectFrom('attachment_files').select('id').execute()
    for (const { id } of ids) expect(await blobs.has(id)).toBe(true)
  })

  it('does nothing when users exist', async () => {
    expect(await seedIfEmpty(db.kysely, '2026-03-10')).toBeNull()
  })

  it('seeds once when two instances start on one empty database at the same time', async () => {
    const { db: shared } = await freshDb()
    const results = await Promise.all([
      seedIfEmpty(shared.kysely, '2026-03-10'),
      seedIfEmpty(shared.kysely, '2026-03-10'),
    ])
    expect(results.filter((r) => r !== null)).toHaveLength(1)
    const users = await shared.kysely.selectFrom('users').select('id').execute()
    expect(users).toHaveLength(DEMO_USERS.length)
  })
})
