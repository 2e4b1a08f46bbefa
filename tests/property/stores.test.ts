import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MUTATION_NAMES } from '../../protocol/mutations'
import { batchArbitrary, mutationArbitraries, type Step } from './arbitraries'
import { envelopeArb } from './envelope'
import { uuidFrom } from './ids'
import { type OfficeRoute, officeArbitraries } from './officeActions'
import { checkOfficeCase } from './officeCase'
import { type Pair, startPair } from './pair'
import { checkPushCase, newPushState } from './pushCase'
import { assertProperty, PROPERTY_SEED } from './run'

/**
 * Issue 13, "one schema, one truth": whatever the shared schema accepts, the server applies, and
 * SQLite and PostgreSQL store it identically. Every action of protocol/mutations.ts is pushed in
 * both flavours (valid, near-valid) to the real app on both stores, then batches of mixed
 * actions. See pushCase.ts for what each case checks.
 */

/** Cases per property; with 15 actions × 2 flavours plus batches, a few thousand in all. */
const RUNS = { valid: 60, nearValid: 60, batches: 100, envelopes: 60, office: 50 }
// Generous: a test vitest times out keeps running and would overlap the next one's requests.
const TIMEOUT = 300_000

let pair: Pair
beforeAll(async () => {
  pair = await startPair()
}, 120_000)
afterAll(async () => {
  await pair?.close()
})

describe(`pushes on SQLite and PostgreSQL (PROPERTY_SEED=${PROPERTY_SEED})`, () => {
  it('a store that writes something else than it was sent fails the case', async () => {
    // A trigger makes PostgreSQL append "!" to every new note: the case must see it.
    const db = pair.sides[1].db.kysely
    await sql`create function sabotage() returns trigger language plpgsql as $$
      begin new.body := new.body || '!'; return new; end $$`.execute(db)
    await sql`create trigger sabotage before insert on notes
      for each row execute function sabotage()`.execute(db)
    try {
      const args = {
        id: uuidFrom('sabotage/note'),
        jobId: pair.pools.jobs.mine[0],
        body: 'checked',
        createdAt: '2026-03-02T08:00:00+01:00',
      }
      await expect(
        checkPushCase(pair, newPushState('sabotage'), [{ name: 'note.add', args }]),
      ).rejects.toThrow(
        /postgres: notes:\S+ body: stored "checked!", the schema's output is "checked"/,
      )
    } finally {
      await sql`drop trigger sabotage on notes`.execute(db)
      await sql`drop function sabotage()`.execute(db)
    }
  })

  for (const name of MUTATION_NAMES) {
    for (const flavour of ['valid', 'nearValid'] as const) {
      const label = `${name} ${flavour}`
      it(
        label,
        async () => {
          const state = newPushState(label)
          const arbitrary = mutationArbitraries(pair.pools)[name][flavour].map((step) => [step])
          await assertProperty(
            label,
            arbitrary,
            (steps) => checkPushCase(pair, state, steps),
            RUNS[flavour],
          )
          // A property whose cases never apply (or never get refused) would prove little.
          const cases = state.applied + state.refused
          if (flavour === 'valid') expect(state.applied).toBeGreaterThanOrEqual(cases / 4)
          else expect(state.refused).toBeGreaterThanOrEqual(cases / 4)
        },
        TIMEOUT,
      )
    }
  }

  it(
    'push envelopes at their limits (device, seq, id, name, at)',
    async () => {
      const state = newPushState('envelopes')
      // A plain note, so that only the envelope is at its limits.
      const note = fc
        .record({ id: fc.uuid(), jobId: fc.constantFrom(...pair.pools.jobs.mine) })
        .map(
          (ids): Step => ({
            name: 'note.add',
            args: { ...ids, body: 'Envelope', createdAt: '2026-03-02T09:00:00.000Z' },
          }),
        )
      await assertProperty(
        'push envelopes',
        fc.tuple(note, envelopeArb),
        ([step, envelope]) => checkPushCase(pair, state, [step], envelope),
        RUNS.envelopes,
      )
      expect(state.applied).toBeGreaterThan(0)
      expect(state.refused).toBeGreaterThan(0)
    },
    TIMEOUT,
  )

  it(
    'batches of mixed actions',
    async () => {
      const state = newPushState('batches')
      await assertProperty(
        'batches of mixed actions',
        batchArbitrary(pair.pools),
        (steps) => checkPushCase(pair, state, steps),
        RUNS.batches,
      )
      expect(state.applied).toBeGreaterThanOrEqual((state.applied + state.refused) / 4)
    },
    TIMEOUT,
  )
})

// Last: the office may reassign Alex's jobs, which would turn later pushes into refusals.
describe(`the office's routes on SQLite and PostgreSQL (PROPERTY_SEED=${PROPERTY_SEED})`, () => {
  const routes: OfficeRoute[] = [
    'job.patch',
    'appointment.create',
    'appointment.patch',
    'estimate.patch',
    'invoice.patch',
    'form.patch',
  ]
  for (const route of routes) {
    for (const flavour of ['valid', 'nearValid'] as const) {
      const label = `office ${route} ${flavour}`
      it(
        label,
        async () => {
          const arbitrary = officeArbitraries(pair.pools)[route][flavour]
          const tally = { ok: 0, refused: 0 }
          await assertProperty(
            label,
            arbitrary,
            (req) => checkOfficeCase(pair, req, tally),
            RUNS.office,
          )
          const cases = tally.ok + tally.refused
          if (flavour === 'valid') expect(tally.ok).toBeGreaterThanOrEqual(cases / 4)
          else expect(tally.refused).toBeGreaterThanOrEqual(cases / 4)
        },
        TIMEOUT,
      )
    }
  }
})
