import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Migration, Migrator } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app'
import { migrateToLatest } from '../../server/db/migrate'
import { migrations } from '../../server/db/migrations/index'
import { seedIfEmpty } from '../../server/db/seed/seed'
import { createTestDatabase, TEST_STORE, type TestDatabase } from './stores'

/**
 * Migrations are append-only: once on main, a migration's name and content never change
 * (server/db/migrations/released.json lists each with the SHA-256 of its file, in the order they
 * reached main; the list only grows, at its end). And the server starts on a database made by any earlier commit of main: each set of
 * migrations main has had, under the names it had then, is run on a fresh database, then
 * today's server migrates it, seeds it, and answers a sign-in and a pull.
 */
const DIR = join(import.meta.dirname, '../../server/db/migrations')
const released = JSON.parse(readFileSync(join(DIR, 'released.json'), 'utf8')) as Array<{
  name: string
  sha256: string
}>

describe('released migrations', () => {
  it('keep their names and contents; every migration file is listed', () => {
    const files = readdirSync(DIR)
      .filter((f) => /^\d{4}_.*\.ts$/.test(f))
      .sort()
    const onDisk = files.map((f) => ({
      name: f.replace(/\.ts$/, ''),
      sha256: createHash('sha256')
        .update(readFileSync(join(DIR, f)))
        .digest('hex'),
    }))
    for (const r of released) {
      const now = onDisk.find((d) => d.name === r.name)
      expect(now, `released migration ${r.name} was renamed or deleted`).toBeDefined()
      expect(now?.sha256, `released migration ${r.name} was edited: add a new one instead`).toBe(
        r.sha256,
      )
    }
    const unlisted = onDisk.filter((d) => !released.some((r) => r.name === d.name))
    expect(
      unlisted.map((d) => d.name),
      'add new migrations to released.json',
    ).toEqual([])
    expect(Object.keys(migrations).sort()).toEqual(released.map((r) => r.name).sort())
  })
})

/** The migrations main has had at each commit that changed them (git log --first-parent). */
const HISTORY: Array<{ commit: string; names: Array<[recorded: string, today: string]> }> = [
  { commit: 'd63a817', names: [['0001_initial', '0001_initial']] },
  {
    commit: '2cf187b',
    names: [
      ['0001_initial', '0001_initial'],
      ['0002_job_details', '0002_job_details'],
    ],
  },
  {
    commit: 'c9ebbed',
    names: [
      ['0001_initial', '0001_initial'],
      ['0002_job_details', '0002_job_details'],
      ['0003_signin_failures', '0004_signin_failures'],
    ],
  },
  ...(
    [
      ['31d81a0', 4],
      ['62e5909', 5],
      ['a3b8ee0', 6],
      ['c82cb7f', 7],
      ['(the fleet merge)', 8],
    ] as const
  ).map(([commit, count]) => ({
    commit,
    // released.json is in the order migrations reached main, so a prefix is a past state.
    names: released.slice(0, count).map((r): [string, string] => [r.name, r.name]),
  })),
]

const open: TestDatabase[] = []
afterAll(async () => {
  for (const t of open) await t.drop()
})

describe(`a database made by an earlier commit of main starts today's server (${TEST_STORE})`, () => {
  for (const state of HISTORY) {
    it(`as left by ${state.commit}: ${state.names.map(([n]) => n).join(', ')}`, async () => {
      const t = await createTestDatabase()
      open.push(t)
      const then: Record<string, Migration> = Object.fromEntries(
        state.names.map(([recorded, today]) => [recorded, migrations[today] as Migration]),
      )
      const old = await new Migrator({
        db: t.db.kysely,
        provider: { getMigrations: async () => then },
      }).migrateToLatest()
      expect(old.error).toBeUndefined()

      await migrateToLatest(t.db.kysely)
      await seedIfEmpty(t.db.kysely, undefined, t.blobs)
      const app = await buildApp({ db: t.db, blobs: t.blobs })
      try {
        const signin = await app.inject({
          method: 'POST',
          url: '/api/auth/signin',
          payload: { email: 'alex@fieldline.test', password: 'fieldline' },
        })
        expect(signin.statusCode).toBe(200)
        const cookie = signin.cookies.find((c) => c.name === 'fl_session')?.value
        const pull = await app.inject({
          method: 'GET',
          url: '/api/sync/pull',
          headers: { cookie: `fl_session=${cookie}` },
        })
        expect(pull.statusCode).toBe(200)
        expect(pull.json().changes.jobs.length).toBeGreaterThan(0)
      } finally {
        await app.close()
      }
    })
  }
})
