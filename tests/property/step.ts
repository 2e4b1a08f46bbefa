import fc from 'fast-check'
import type { MutationName } from '../../protocol/mutations'
import type { IsoShape } from './times'

/**
 * One generated action, as data (so fast-check can print and shrink it). `args` is what goes on
 * the wire, possibly invalid. Two things cannot be known when generating and are done by the
 * harness just before the push:
 * - `fill`: an edit's `base` is set from the current row (read from the store), so edits
 *   mostly apply instead of always meeting a conflict;
 * - `upload`: attachment.add's file is PUT first, under the action's id.
 */
export interface Step {
  name: MutationName
  args: unknown
  fill?: Fill
  upload?: Upload
}

export interface Fill {
  /** appointment.reschedule: write the current times in this shape (the same instants). */
  shape?: IsoShape
}

export interface Upload {
  bytes: Uint8Array
  contentType: string
}

/** The two flavours of every action's arbitrary. */
export interface Flavours {
  /** Args the shared schema accepts. */
  valid: fc.Arbitrary<Step>
  /** Args at and around the schema's limits; some pass it, some do not. */
  nearValid: fc.Arbitrary<Step>
}

type Fields = Record<string, unknown>

/**
 * Near-valid args from valid ones: each named field is kept (2 in 3) or replaced by its near
 * arbitrary; now and then an unknown key is added or a key dropped (strictObject refuses both).
 * Shrinking goes towards the valid value, so a counterexample keeps only the fields that matter.
 */
export function nearFields<T extends Fields>(
  valid: fc.Arbitrary<T>,
  near: { [K in keyof T]?: fc.Arbitrary<unknown> },
): fc.Arbitrary<Fields> {
  return valid.chain((base) => {
    const model: Record<string, fc.Arbitrary<unknown>> = {}
    for (const key of Object.keys(base)) {
      const alt = near[key]
      model[key] = alt
        ? fc.oneof(
            { withCrossShrink: true },
            { weight: 2, arbitrary: fc.constant(base[key]) },
            { weight: 1, arbitrary: alt },
          )
        : fc.constant(base[key])
    }
    return fc.record(model).chain((fields) => shapeNoise(fields))
  })
}

/** The object as is (mostly), with an unknown key, or without one of its keys. */
export function shapeNoise(fields: Fields): fc.Arbitrary<Fields> {
  const keys = Object.keys(fields)
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 10, arbitrary: fc.constant(fields) },
    {
      weight: 1,
      arbitrary: fc
        // Refusals name the key: a NUL or a lone surrogate in it reaches the stored reason.
        .constantFrom('extra', '__proto__', 'constructor', 'Id', '', '\u0000', 'k\ud800')
        .map((k) => ({ ...fields, [k]: 1 })),
    },
    ...(keys.length > 0
      ? [
          {
            weight: 1,
            arbitrary: fc.constantFrom(...keys).map((k) => {
              const { [k]: _dropped, ...rest } = fields
              return rest
            }),
          },
        ]
      : []),
  )
}

/** A non-empty subset of a record's fields (an edit's `changes`). */
export function someOf<T extends Fields>(
  model: {
    [K in keyof T]: fc.Arbitrary<T[K]>
  },
): fc.Arbitrary<Partial<T>> {
  return fc
    .record(model, { requiredKeys: [] })
    .filter((o) => Object.keys(o).length > 0) as fc.Arbitrary<Partial<T>>
}
