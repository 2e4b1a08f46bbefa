import { describe, expect, it } from 'vitest'
import { unmetWants, wantsOf } from './expect'
import type { Answer } from './pair'
import { compareAnswers } from './pushCase'
import { changedKeys, compareChanges, type Entities } from './snapshot'

/**
 * The case checks catch what they are for (a check that cannot fail proves nothing): a 5xx,
 * different answers, different changes, a stored value other than the schema's output.
 * stores.test.ts also sabotages a real store and expects a case to fail.
 */

const ok = (body: unknown = { results: [] }): Answer => ({ status: 200, body, errors: [] })

describe('the case checks', () => {
  it('report a 5xx with the server error, and answers that differ', () => {
    const failed: Answer = {
      status: 500,
      body: { error: 'internal' },
      errors: ['RangeError: Invalid time value'],
    }
    expect(compareAnswers('push', [ok(), failed]).join('\n')).toMatch(
      /postgres: push answered 500; server error: RangeError: Invalid time value/,
    )
    expect(
      compareAnswers('push', [
        ok(),
        { status: 400, body: { error: 'invalid_request' }, errors: [] },
      ]),
    ).toHaveLength(1)
    expect(compareAnswers('push', [ok(), ok()])).toEqual([])
  })

  it('see the same change in both stores as equal, and any other as a difference', () => {
    const row = { id: '1', title: 'a', status: 'open', version: 1 }
    const sqlite = {
      before: new Map([['jobs:1', row]]),
      after: new Map([['jobs:1', { ...row, title: 'b', version: 2 }]]),
    }
    expect(changedKeys(sqlite)).toEqual(['jobs:1'])
    // The same change on a row whose version (or another field) an earlier failure left apart.
    const apart = { ...row, status: 'closed', version: 7 }
    const pg = {
      before: new Map([['jobs:1', apart]]),
      after: new Map([['jobs:1', { ...apart, title: 'b', version: 8 }]]),
    }
    expect(compareChanges(sqlite, pg)).toEqual([])
    const other = {
      ...pg,
      after: new Map([['jobs:1', { ...apart, title: 'b\u0000', version: 8 }]]),
    }
    expect(compareChanges(sqlite, other).join()).toMatch(
      /jobs:1 title: sqlite "b" \/ postgres "b\\u0000"/,
    )
    const twice = { ...pg, after: new Map([['jobs:1', { ...apart, title: 'b', version: 9 }]]) }
    expect(compareChanges(sqlite, twice).join()).toMatch(
      /jobs:1 version: sqlite "\+1" \/ postgres "\+2"/,
    )
    const extra = {
      ...pg,
      after: new Map<string, unknown>([...pg.after, ['notes:2', { id: '2' }]]),
    }
    expect(compareChanges(sqlite, extra).join()).toMatch(/notes:2: sqlite undefined/)
  })

  it('find a stored value that is not the schema output, and a time stored as another instant', () => {
    const args = { id: 'n1', jobId: 'j1', body: 'hello', createdAt: '2026-01-01T00:00:00+01:00' }
    const wants = wantsOf('note.add', args, {
      alexId: 'a',
      before: new Map(),
      jobOf: () => undefined,
    })
    const stored = {
      id: 'n1',
      jobId: 'j1',
      authorId: 'a',
      body: 'hello',
      createdAt: '2025-12-31T23:00:00.000Z',
    }
    expect(unmetWants(wants, new Map(), new Map([['notes:n1', stored]]))).toEqual([])
    const changed = { ...stored, body: '\ufffd', createdAt: '2026-01-01T00:00:00.000Z' }
    const problems = unmetWants(wants, new Map(), new Map([['notes:n1', changed]]))
    expect(problems.join('\n')).toMatch(/body: stored "\\ufffd", the schema's output is "hello"/)
    expect(problems.join('\n')).toMatch(
      /createdAt: stored 2026-01-01T00:00:00.000Z .* which is 2025-12-31T23:00:00.000Z/,
    )
    expect(unmetWants(wants, new Map(), new Map())).toEqual(['notes:n1 is not there'])
  })

  it('expect a create with an id already in use to leave that row alone', () => {
    const row = { id: 'e1', jobId: 'j1', number: 'E-1' }
    const before: Entities = new Map([['estimates:e1', row]])
    const args = {
      id: 'e1',
      jobId: 'j1',
      number: 'E-2',
      lineItems: [],
      taxRateBps: 0,
      createdAt: '2026-01-01T00:00:00Z',
    }
    const wants = wantsOf('estimate.create', args, { alexId: 'a', before, jobOf: () => undefined })
    expect(unmetWants(wants, before, before)).toEqual([])
    expect(
      unmetWants(wants, before, new Map([['estimates:e1', { ...row, number: 'E-2' }]])),
    ).toHaveLength(1)
  })

  it('take a document number as sent or renumbered, and nothing else', () => {
    const stored = (sent: string, number: string) => {
      const args = {
        id: 'e9',
        jobId: 'j1',
        number: sent,
        lineItems: [],
        taxRateBps: 0,
        createdAt: '2026-01-01T00:00:00Z',
      }
      const wants = wantsOf('estimate.create', args, {
        alexId: 'a',
        before: new Map(),
        jobOf: () => undefined,
      })
      const row = {
        id: 'e9',
        jobId: 'j1',
        number,
        status: 'draft',
        lineItems: [],
        taxRateBps: 0,
        createdAt: '2026-01-01T00:00:00.000Z',
      }
      return unmetWants(wants, new Map(), new Map([['estimates:e9', row]]))
    }
    expect(stored('E-1-2', 'E-1-2')).toEqual([])
    expect(stored('E-1-2', 'E-1-3')).toEqual([])
    expect(stored('Quote', 'Quote-2')).toEqual([])
    expect(stored('E-1-2', 'E-1-1')).toHaveLength(1)
    expect(stored('Quote', 'Quote')).toEqual([])
    expect(stored('Quote', 'Quote-')).toHaveLength(1)
    expect(stored('Quote', 'Other')).toHaveLength(1)
  })
})
