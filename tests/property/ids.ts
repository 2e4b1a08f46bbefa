import { createHash } from 'node:crypto'
import fc from 'fast-check'
import type { Pools } from './catalog'

/**
 * Ids of rows for the arbitraries: mostly Alex's (the pushing technician's, so the action
 * applies), sometimes another technician's (forbidden) or one no row has (not found).
 */
export function ownedId(pool: { mine: string[]; others: string[] }): fc.Arbitrary<string> {
  const arbs: Array<fc.WeightedArbitrary<string>> = [{ weight: 1, arbitrary: fc.uuid() }]
  if (pool.mine.length > 0) arbs.push({ weight: 8, arbitrary: fc.constantFrom(...pool.mine) })
  if (pool.others.length > 0) arbs.push({ weight: 1, arbitrary: fc.constantFrom(...pool.others) })
  return fc.oneof(...arbs)
}

export const jobIdArb = (pools: Pools) => ownedId(pools.jobs)

/**
 * The id of a row an action creates. Mostly new (the harness swaps it for a fresh id on every
 * run, so a shrink re-run never meets the row an earlier run made); now and then the id of an
 * existing row of that kind, which the server must treat as a resend or a conflict.
 */
export function createdId(existing: readonly string[] = []): fc.Arbitrary<string> {
  if (existing.length === 0) return fc.uuid()
  return fc.oneof(
    { weight: 12, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom(...existing) },
  )
}

/**
 * A UUID made from a name: the harness's fresh ids (mutation ids, created rows, devices) are
 * the same on every run of a seed, so a replayed failure sends exactly the same requests.
 */
export function uuidFrom(name: string): string {
  const h = createHash('sha256').update(name).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export const NIL_ID = '00000000-0000-0000-0000-000000000000'
export const MAX_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff'

/** Ids the uuid rule accepts but nothing has (upper case, nil, max) and ones it refuses. */
export function nearId(pool: readonly string[]): fc.Arbitrary<unknown> {
  const some = pool.length > 0 ? fc.constantFrom(...pool) : fc.uuid()
  return fc.oneof(
    { weight: 4, arbitrary: some },
    { weight: 2, arbitrary: some.map((id) => id.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom(NIL_ID, MAX_ID, MAX_ID.toUpperCase()) },
    {
      weight: 2,
      arbitrary: some.chain((id) =>
        fc.constantFrom<unknown>(
          id.replaceAll('-', ''),
          `{${id}}`,
          ` ${id}`,
          `${id}\u0000`,
          `${id}x`,
          id.slice(1),
          id.replace(/\d/, '٣'),
          '',
          null,
          42,
        ),
      ),
    },
  )
}
