import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LineItem } from '../../protocol/entities'
import { jsonEqual } from '../../protocol/jsonEqual'
import { listRulesHold } from '../../protocol/lineItems'
import { type Choice, mergeEdit, mergeLines, resolveEdit } from '../../protocol/merge'
import type { FieldConflict } from '../../protocol/sync'
import { PROPERTY_SEED, runsOf } from './run'

/**
 * The merge model (protocol/merge.ts) against an independent reading of its rules, for random
 * base / office / technician versions of a document: nothing either side changed is lost unless
 * it was a true clash, a clash is never settled silently, and a resolution applies exactly what
 * was chosen, once.
 */
type Doc = { title: string; status: string; lineItems: LineItem[] }

const LINE_IDS = ['l1', 'l2', 'l3', 'l4', 'l5']
const word = fc.constantFrom('a', 'b', 'c')
const line = (id: string) =>
  fc.record({
    id: fc.constant(id),
    description: word,
    quantity: fc.constantFrom(1, 2, 3),
    unitPriceCents: fc.constantFrom(100, 200),
  })
const baseDoc: fc.Arbitrary<Doc> = fc
  .subarray(LINE_IDS.slice(0, 3), { minLength: 1 })
  .chain((ids) => fc.record({ title: word, status: word, lineItems: fc.tuple(...ids.map(line)) }))

/** Another side's version of `base`: fields changed, lines edited, deleted or added. */
function edited(base: Doc, side: string): fc.Arbitrary<Doc> {
  return fc
    .record({
      title: fc.oneof(fc.constant(base.title), word),
      status: fc.oneof(fc.constant(base.status), word),
      kept: fc.tuple(
        ...base.lineItems.map((l) => fc.oneof(fc.constant(l), fc.constant(null), line(l.id))),
      ),
      added: fc.subarray(
        LINE_IDS.filter((id) => !base.lineItems.some((l) => l.id === id)),
        { maxLength: 2 },
      ),
    })
    .chain(({ title, status, kept, added }) => {
      const left = kept.filter((l): l is LineItem => l !== null)
      // A document always keeps at least one line (the schema's rule, on both sides).
      const ids = left.length + added.length === 0 ? ['l9'] : added
      return fc.tuple(...ids.map((id) => line(`${side}-${id}`))).map((extra) => ({
        title,
        status,
        lineItems: [...left, ...extra],
      }))
    })
}

const scenario = baseDoc.chain((base) =>
  fc.record({ base: fc.constant(base), office: edited(base, 'o'), mine: edited(base, 'm') }),
)

/** What the device sends: the fields it changed, and their base values. */
function edit(base: Doc, mine: Doc) {
  const changes: Record<string, unknown> = {}
  const was: Record<string, unknown> = {}
  for (const key of ['title', 'status', 'lineItems'] as const) {
    if (!jsonEqual(mine[key], base[key])) {
      changes[key] = mine[key]
      was[key] = base[key]
    }
  }
  return { changes, was }
}

/** Every place of a document the rules talk about, with its value (undefined: absent). */
function places(doc: Doc): Map<string, unknown> {
  const out = new Map<string, unknown>([
    ['title', doc.title],
    ['status', doc.status],
  ])
  for (const l of doc.lineItems) {
    out.set(`line ${l.id}`, true)
    for (const a of ['description', 'quantity', 'unitPriceCents'] as const) {
      out.set(`line ${l.id} ${a}`, l[a])
    }
  }
  return out
}

const placeOf = (c: FieldConflict) =>
  c.line === undefined ? c.field : c.attribute ? `line ${c.line} ${c.attribute}` : `line ${c.line}`

/** Whether a place lies under a clash (a clash on a whole line covers its attributes). */
function covered(place: string, clashes: FieldConflict[]): boolean {
  return clashes.some((c) => {
    if (c.field === 'lineItems' && c.line === undefined) return place.startsWith('line ')
    const p = placeOf(c)
    return place === p || place.startsWith(`${p} `)
  })
}

function mergedDoc(office: Doc, values: Record<string, unknown>): Doc {
  return { ...office, ...values } as Doc
}

const RUNS = runsOf(3_000)

/** A copy with its line items in id order. */
function byLineId(record: Record<string, unknown>): Record<string, unknown> {
  const lines = record.lineItems as LineItem[] | undefined
  if (!lines) return record
  return { ...record, lineItems: [...lines].sort((a, b) => a.id.localeCompare(b.id)) }
}

describe('the merge model (protocol/merge.ts)', () => {
  it('keeps every change of either side that is not a true clash; every clash is reported', () => {
    fc.assert(
      fc.property(scenario, ({ base, office, mine }) => {
        const { changes, was } = edit(base, mine)
        const result = mergeEdit(office, changes, was)
        const merged = places(mergedDoc(office, result.values))
        const [b, o, m] = [places(base), places(office), places(mine)]
        const all = new Set([...b.keys(), ...o.keys(), ...m.keys()])
        for (const place of all) {
          const [bv, ov, mv] = [b.get(place), o.get(place), m.get(place)]
          if (covered(place, result.clashes)) {
            // Held at the office's value until the technician chooses.
            if (
              !place.startsWith('line ') ||
              !result.clashes.some((c) => c.line === undefined && c.field === 'lineItems')
            )
              expect(merged.get(place), place).toEqual(ov)
            continue
          }
          if (jsonEqual(mv, bv)) expect(merged.get(place), place).toEqual(ov)
          else if (jsonEqual(ov, bv)) expect(merged.get(place), place).toEqual(mv)
          else
            expect(jsonEqual(ov, mv), `${place}: both changed it, differently, unreported`).toBe(
              true,
            )
        }
        // A clash is only ever where both sides changed the same place, to different values.
        for (const c of result.clashes) {
          expect(jsonEqual(c.server, c.mine), `clash ${placeOf(c)} with equal sides`).toBe(false)
        }
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    )
  })

  it('a resolution applies exactly what was chosen, clashes no more, and applying it again changes nothing', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.infiniteStream(fc.constantFrom<Choice>('server', 'mine')),
        (s, picks) => {
          const { base, office, mine } = s
          const { changes, was } = edit(base, mine)
          const first = mergeEdit(office, changes, was)
          const chosen = new Map<FieldConflict, Choice>()
          const resolved = resolveEdit(changes, was, first.clashes, (c) => {
            const pick = picks.next().value as Choice
            chosen.set(c, pick)
            return pick
          })
          // The server wrote what did not clash when the edit first arrived: the resend meets that.
          const written = mergedDoc(office, first.values)
          const second = mergeEdit(written, resolved.changes, resolved.base)
          const mineLines = resolved.changes.lineItems as LineItem[] | undefined
          const baseLines = (resolved.base.lineItems ?? []) as LineItem[]
          const wanted = mineLines && mergeLines(written.lineItems, mineLines, baseLines, 'server')
          if (wanted && wanted.lines.length === 0) {
            // The choices together leave the document without a line (each side deleted what
            // the other kept): that comes back as one clash of the whole list, never as an empty
            // document.
            expect(second.clashes.map((c) => [c.field, c.line])).toEqual([['lineItems', undefined]])
            return
          }
          expect(second.clashes).toEqual([])
          const after = mergedDoc(written, second.values)
          const at = places(after)
          for (const [c, pick] of chosen) {
            if (c.field === 'lineItems' && c.line === undefined) {
              expect(after.lineItems).toEqual(pick === 'mine' ? c.mine : c.server)
              continue
            }
            if (c.line === undefined) {
              expect(at.get(c.field)).toEqual(pick === 'mine' ? c.mine : c.server)
              continue
            }
            const want = pick === 'mine' ? c.mine : c.server
            if (c.attribute) expect(at.get(placeOf(c))).toEqual(want)
            else expect(after.lineItems.find((l) => l.id === c.line) ?? null).toEqual(want)
          }
          // The server applies it; the same edit arriving again (a resend) changes nothing more.
          const again = mergeEdit(after, resolved.changes, resolved.base)
          expect(again.clashes).toEqual([])
          expect(again.changed).toEqual([])
          // Resolving the same clashes the same way again changes nothing (a base's line order
          // is not looked at: lines merge by id).
          const twice = resolveEdit(
            resolved.changes,
            resolved.base,
            first.clashes,
            (c) => chosen.get(c) ?? 'mine',
          )
          expect(byLineId(twice.changes)).toEqual(byLineId(resolved.changes))
          expect(byLineId(twice.base)).toEqual(byLineId(resolved.base))
        },
      ),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    )
  })

  it('a resend after the conflict keeps everything the office changed since, or reports it', () => {
    const later = scenario.chain((s) => {
      const { changes, was } = edit(s.base, s.mine)
      const first = mergeEdit(s.office, changes, was)
      const written = mergedDoc(s.office, first.values)
      return fc.record({
        s: fc.constant(s),
        office2: edited(written, 'p'),
        picks: fc.array(fc.constantFrom<Choice>('server', 'mine'), {
          minLength: 20,
          maxLength: 20,
        }),
      })
    })
    fc.assert(
      fc.property(later, ({ s, office2, picks }) => {
        const { changes, was } = edit(s.base, s.mine)
        const first = mergeEdit(s.office, changes, was)
        const written = mergedDoc(s.office, first.values)
        let i = 0
        const resolved = resolveEdit(
          changes,
          was,
          first.clashes,
          () => picks[i++ % picks.length] as Choice,
        )
        const second = mergeEdit(office2, resolved.changes, resolved.base)
        if (second.clashes.some((c) => c.field === 'lineItems' && c.line === undefined)) return
        const after = places(mergedDoc(office2, second.values))
        const [w, o2] = [places(written), places(office2)]
        for (const place of new Set([...w.keys(), ...o2.keys()])) {
          if (jsonEqual(w.get(place), o2.get(place))) continue
          // The office changed this place after the conflict: it stands, or the resend says it
          // clashes. Never undone in silence (a deleted line back, a reverted title overwritten).
          if (covered(place, second.clashes)) continue
          expect(after.get(place), place).toEqual(o2.get(place))
        }
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    )
  })

  it("the device's preview shows its own side of a clash and agrees with the server everywhere else", () => {
    fc.assert(
      fc.property(scenario, ({ base, office, mine }) => {
        const { changes, was } = edit(base, mine)
        const server = mergeEdit(office, changes, was, 'server')
        const device = mergeEdit(office, changes, was, 'mine')
        expect(device.clashes).toEqual(server.clashes)
        const [sv, dv] = [
          places(mergedDoc(office, server.values)),
          places(mergedDoc(office, device.values)),
        ]
        for (const place of new Set([...sv.keys(), ...dv.keys()])) {
          if (!covered(place, server.clashes)) expect(dv.get(place), place).toEqual(sv.get(place))
        }
      }),
      { seed: PROPERTY_SEED, numRuns: RUNS },
    )
  })

  it('a merged list keeps the rules of a list (1–200 lines, ≤ $1B), or the lists clash whole', () => {
    // Lines of up to $600M each: every side's list is valid alone, but the office's new line
    // and the technician's new line together went over $1B, and were stored (a probe).
    const bigLine = (id: string) =>
      fc.record({
        id: fc.constant(id),
        description: word,
        quantity: fc.constantFrom(1, 60),
        unitPriceCents: fc.constantFrom(100, 1_000_000_000),
      })
    const valid = (lines: LineItem[]) => listRulesHold(lines)
    const bigDoc = (ids: string[]) => fc.tuple(...ids.map(bigLine)).filter(valid)
    const bigScenario = fc
      .subarray(LINE_IDS.slice(0, 2), { minLength: 1 })
      .chain((ids) => bigDoc(ids))
      .chain((base) =>
        fc.record({
          base: fc.constant(base),
          office: fc
            .subarray(['o1', 'o2'])
            .chain((extra) => bigDoc([...base.map((l) => l.id), ...extra])),
          mine: fc
            .subarray(['m1', 'm2'])
            .chain((extra) => bigDoc([...base.map((l) => l.id), ...extra])),
        }),
      )
    fc.assert(
      fc.property(bigScenario, ({ base, office, mine }) => {
        for (const side of ['server', 'mine'] as const) {
          const result = mergeEdit(
            { lineItems: office },
            { lineItems: mine },
            { lineItems: base },
            side,
          )
          const lines = result.values.lineItems as LineItem[]
          expect(valid(lines), JSON.stringify(lines)).toBe(true)
        }
      }),
      { seed: PROPERTY_SEED, numRuns: runsOf(1_000) },
    )
  })
})
