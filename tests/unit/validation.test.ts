import { v4 as uuid } from 'uuid'
import { describe, expect, it } from 'vitest'
import { type MutationName, parseMutationArgs } from '../../protocol/mutations'

const now = '2026-11-28T09:00:00.000Z'
const later = '2026-11-28T10:00:00.000Z'
const line = () => ({ id: uuid(), description: 'Labour', quantity: 1.5, unitPriceCents: 9_500 })
const png = 'data:image/png;base64,iVBORw0KGgo='
const dupId = uuid()
const dupReason = new RegExp(`^lineItems has more than one line with the id ${dupId}$`)

/** One good and at least one bad input per action, checked by the schema both sides share. */
const cases: Array<
  [MutationName, Record<string, unknown>, Array<[Record<string, unknown>, RegExp]>]
> = [
  [
    'note.add',
    { id: uuid(), jobId: uuid(), body: 'ok', createdAt: now },
    [[{ body: '' }, /body must not be empty/]],
  ],
  [
    'attachment.add',
    {
      id: uuid(),
      jobId: uuid(),
      kind: 'photo',
      filename: 'a.jpg',
      mimeType: 'image/jpeg',
      size: 1000,
      sha256: 'a'.repeat(64),
      takenAt: now,
      thumbnail: null,
    },
    [
      [{ mimeType: 'application/x-msdownload' }, /JPEG, PNG, WebP or HEIC/],
      [{ size: 21 * 1024 * 1024 }, /at most 20 MB/],
      [{ sha256: 'nope' }, /SHA-256/],
    ],
  ],
  [
    'payment.add',
    {
      id: uuid(),
      invoiceId: uuid(),
      method: 'cash',
      amountCents: 4_000,
      receivedAt: now,
    },
    [
      [{ amountCents: 10.5 }, /whole cents/],
      [{ amountCents: 0 }, /more than zero/],
      [{ method: 'card' }, /cash, check or other/],
      [{ method: 'check' }, /check number/],
      // Protocol 2: no reference is no key; null was protocol 1's shape (the server upgrades it).
      [{ reference: null }, /reference/],
    ],
  ],
  [
    'label.create',
    { id: uuid(), name: 'Needs part', color: '#aa00cc' },
    [[{ color: 'red' }, /colour/]],
  ],
  ['job.addLabel', { jobId: uuid(), labelId: uuid() }, [[{ labelId: 'x' }, /UUID/]]],
  ['job.removeLabel', { jobId: uuid(), labelId: uuid() }, [[{ extra: 1 }, /extra/]]],
  [
    'signature.add',
    {
      id: uuid(),
      jobId: uuid(),
      subjectType: 'estimate',
      subjectId: uuid(),
      signerName: 'Pat',
      signedAt: now,
      image: png,
    },
    [
      [{ image: 'data:image/svg+xml;base64,AA' }, /PNG/],
      [{ subjectType: 'note' }, /subjectType/],
    ],
  ],
  [
    'appointment.create',
    { id: uuid(), jobId: uuid(), startsAt: now, endsAt: later },
    [[{ endsAt: now }, /end after/]],
  ],
  [
    'appointment.reschedule',
    {
      appointmentId: uuid(),
      baseVersion: 2,
      startsAt: now,
      endsAt: later,
      base: { startsAt: now, endsAt: later },
    },
    [[{ startsAt: 'tomorrow' }, /ISO/]],
  ],
  [
    'estimate.create',
    {
      id: uuid(),
      jobId: uuid(),
      number: 'E-1042-1',
      lineItems: [line()],
      taxRateBps: 825,
      createdAt: now,
    },
    [
      [{ lineItems: [] }, /at least one line/],
      [{ lineItems: [{ ...line(), quantity: 1.234 }] }, /2 decimals/],
      // Within the old 1e-6 tolerance, yet not 2 decimals: stored as sent before.
      [{ lineItems: [{ ...line(), quantity: 1e-9 }] }, /quantity must have at most 2 decimals/],
      [{ lineItems: [{ ...line(), quantity: 0.0100000001 }] }, /2 decimals/],
      [{ lineItems: [{ ...line(), quantity: 99_999.990000001 }] }, /2 decimals/],
      [{ lineItems: [line(), { ...line(), id: dupId }, { ...line(), id: dupId }] }, dupReason],
      [{ taxRateBps: 20_000 }, /taxRateBps/],
    ],
  ],
  [
    'estimate.update',
    {
      estimateId: uuid(),
      baseVersion: 1,
      changes: { status: 'approved' },
      base: { status: 'sent' },
    },
    [
      [{ changes: { status: 'approved' }, base: {} }, /same fields/],
      [{ changes: { status: 'maybe' }, base: { status: 'sent' } }, /status/],
    ],
  ],
  [
    'invoice.create',
    {
      id: uuid(),
      jobId: uuid(),
      number: 'I-1042-1',
      lineItems: [line()],
      taxRateBps: 0,
      estimateId: null,
      createdAt: now,
    },
    [[{ number: '' }, /number must not be empty/]],
  ],
  [
    'invoice.update',
    { invoiceId: uuid(), baseVersion: 1, changes: { taxRateBps: 0 }, base: { taxRateBps: 825 } },
    [
      [{ changes: { status: 'paid' }, base: { status: 'sent' } }, /status/],
      [
        {
          changes: {
            lineItems: [
              { ...line(), id: dupId },
              { ...line(), id: dupId },
            ],
          },
          base: { lineItems: [line()] },
        },
        /changes\.lineItems has more than one line with the id/,
      ],
    ],
  ],
  [
    'job.update',
    { jobId: uuid(), baseVersion: 3, changes: { title: 'New title' }, base: { title: 'Old' } },
    [
      [{ changes: {}, base: {} }, /at least one/],
      [{ changes: { title: 'x'.repeat(201) }, base: { title: 'Old' } }, /200/],
    ],
  ],
  [
    'jobForm.answer',
    { formId: uuid(), baseVersion: 1, answers: { [uuid()]: true }, base: {} },
    [[{ answers: {}, base: {} }, /1 to 200/]],
  ],
]

describe('shared action schemas', () => {
  it('accept every quantity with at most 2 decimals, as a device parses it', () => {
    for (const k of [0, 1, 5, 10, 29, 57, 99, 101, 1_005, 123_456, 9_999_999, 10_000_000]) {
      const quantity = Number((k / 100).toFixed(2))
      const good = cases.find(([name]) => name === 'estimate.create')?.[1]
      const args = { ...good, lineItems: [{ ...line(), quantity }] }
      expect(parseMutationArgs('estimate.create', args), String(quantity)).toMatchObject({
        ok: true,
      })
    }
  })

  for (const [name, good, bad] of cases) {
    it(`${name}: accepts good input and explains bad input`, () => {
      const g = name === 'jobForm.answer' ? withBase(good) : good
      expect(parseMutationArgs(name, g)).toMatchObject({ ok: true })
      for (const [patch, reason] of bad) {
        const res = parseMutationArgs(name, { ...g, ...patch })
        expect(res.ok, JSON.stringify(patch)).toBe(false)
        if (!res.ok) expect(res.reason).toMatch(reason)
      }
    })
  }
})

describe('free text has something to see', () => {
  const note = (body: string) =>
    parseMutationArgs('note.add', {
      id: uuid(),
      jobId: uuid(),
      body,
      createdAt: '2026-11-28T09:30:00.000Z',
    })
  it('refuses text of only spaces, controls and invisible characters (trim() keeps U+0085, U+200B)', () => {
    for (const body of ['\u200b', '\u0085', ' \ufeff\u200b\u2060 ', '\u180e', '\u00a0\u3000']) {
      const res = note(body)
      expect(res.ok, JSON.stringify(body)).toBe(false)
      if (!res.ok) expect(res.reason).toMatch(/body must not be empty/)
    }
  })
  it('keeps text with something visible in it, invisible characters and all', () => {
    for (const body of ['a\u200b', '👍', 'é', '\u200bOK']) {
      expect(note(body), JSON.stringify(body)).toMatchObject({ ok: true })
    }
  })
})

function withBase(x: Record<string, unknown>) {
  const answers = x.answers as Record<string, unknown>
  return { ...x, base: Object.fromEntries(Object.keys(answers).map((k) => [k, null])) }
}
