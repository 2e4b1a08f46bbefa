import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Kysely, Transaction } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LineItem } from '../../protocol/entities'
import type { MutationResult } from '../../protocol/sync'
import { buildApp } from '../../server/app'
import type { Database } from '../../server/db/schema'
import { ALEX, DANA, mutation, pushAs, richJob, startTestServer, type TestServer } from './helpers'

/**
 * What an office PATCH of an estimate or invoice answers (server/dispatch/documents.ts) is the
 * version it wrote, read in its own transaction: its ETag is what the office sends as If-Match
 * next, so an answer describing another save's version would let that office overwrite an edit
 * it never saw.
 *
 * Saves sent at once through inject() do not reliably land in the gap between one save's commit
 * and its answer (on SQLite a whole save runs in microtasks before the next request is parsed),
 * so the first test makes the gap itself: a second app on the same database whose transactions,
 * once armed, are followed by another writer's save before control returns to the route.
 */

let server: TestServer
/** The app under the gap: once armed, a save by "someone else" runs right after its commit. */
let gapped: FastifyInstance
let afterCommit: (() => Promise<void>) | null = null
let dana: string
const ids: Record<'estimate' | 'invoice', string> = { estimate: '', invoice: '' }

const lines = (quantity: number): LineItem[] => [
  {
    id: '00000000-0000-4000-8000-000000000001',
    description: 'Labour',
    quantity,
    unitPriceCents: 9000,
  },
]

beforeAll(async () => {
  server = await startTestServer()
  const alex = await server.signIn(ALEX)
  dana = await server.signIn(DANA)
  gapped = await buildApp({
    db: { ...server.db, url: undefined, kysely: withGapAfterCommit(server.db.kysely) },
    blobs: server.blobs,
  })
  const job = await richJob(server)
  let seq = 0
  for (const what of ['estimate', 'invoice'] as const) {
    ids[what] = randomUUID()
    const args = {
      id: ids[what],
      jobId: job.id,
      number: `A-${what}`,
      lineItems: lines(1),
      taxRateBps: 0,
      createdAt: new Date().toISOString(),
      ...(what === 'invoice' && { estimateId: null }),
    }
    const res = await pushAs(server, alex, randomUUID(), [
      mutation(`${what}.create`, args as never, ++seq),
    ])
    expect((res.json().results[0] as MutationResult).status).toBe('applied')
  }
})
afterAll(async () => {
  await gapped?.close()
  await server.close()
})

/** server.db, except that a transaction's commit is followed by `afterCommit` when armed. */
function withGapAfterCommit(kysely: Kysely<Database>): Kysely<Database> {
  return new Proxy(kysely, {
    get(target, prop) {
      if (prop === 'transaction') {
        return () => {
          const builder = target.transaction()
          return {
            execute: async <T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> => {
              const out = await builder.execute(fn)
              const hook = afterCommit
              afterCommit = null
              await hook?.()
              return out
            },
          }
        }
      }
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

async function version(what: 'estimate' | 'invoice'): Promise<number> {
  const row = await server.db.kysely
    .selectFrom(`${what}s`)
    .select('version')
    .where('id', '=', ids[what])
    .executeTakeFirstOrThrow()
  return row.version
}

describe('an office PATCH of a document answers the version it wrote', () => {
  for (const what of ['estimate', 'invoice'] as const) {
    it(`${what}: another save between its commit and its answer does not change the answer`, async () => {
      const before = await version(what)
      afterCommit = async () => {
        // Another office save, committed after this one and before its answer was read.
        const other = await server.request(dana, {
          method: 'PATCH',
          url: `/api/dispatch/${what}s/${ids[what]}`,
          payload: { lineItems: lines(99) },
        })
        expect(other.statusCode, other.body).toBe(200)
      }
      const res = await gapped.inject({
        method: 'PATCH',
        url: `/api/dispatch/${what}s/${ids[what]}`,
        headers: { cookie: dana },
        payload: { lineItems: lines(7), baseVersion: before },
      })
      expect(afterCommit).toBeNull()
      expect(res.statusCode, res.body).toBe(200)
      const doc = res.json()[what]
      expect(res.headers.etag).toBe(`"${before + 1}"`)
      expect(doc.version).toBe(before + 1)
      expect(doc.lineItems[0].quantity).toBe(7)
      // The other save did happen: the row moved on past what this one answered.
      expect(await version(what)).toBe(before + 2)
    })

    it(`${what}: saves sent at once each get their own version, ETag and lines`, async () => {
      for (let round = 0; round < 5; round++) {
        const before = await version(what)
        const quantities = [2, 3, 4].map((q) => q + round * 10)
        const answers = await Promise.all(
          quantities.map((quantity) =>
            server.request(dana, {
              method: 'PATCH',
              url: `/api/dispatch/${what}s/${ids[what]}`,
              payload: { lineItems: lines(quantity) },
            }),
          ),
        )
        for (const [i, res] of answers.entries()) {
          expect(res.statusCode, res.body).toBe(200)
          const doc = res.json()[what]
          // The body and the ETag are one version, and it holds what this save wrote.
          expect(res.headers.etag).toBe(`"${doc.version}"`)
          expect(doc.lineItems[0].quantity).toBe(quantities[i])
        }
        // Each save its own version, together exactly the versions written.
        const versions = answers
          .map((a) => a.json()[what].version)
          .sort((a: number, b: number) => a - b)
        expect(versions).toEqual([before + 1, before + 2, before + 3])
        expect(await version(what)).toBe(before + 3)
      }
    })
  }
})
