import fc from 'fast-check'

/**
 * Seeds and sizes of the property runs. Every property runs with the same seed: PROPERTY_SEED
 * (default below) reproduces a whole run; with PROPERTY_PATH (printed on a failure) and `-t` to
 * pick the one test, it replays just the failing case and its shrinking.
 * PROPERTY_RUNS scales every property's number of cases (0.1 for a quick look, 10 for a soak).
 */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 0x13_2026)
const SCALE = Number(process.env.PROPERTY_RUNS ?? 1)
const PATH = process.env.PROPERTY_PATH || undefined

export function runsOf(n: number): number {
  return Math.max(1, Math.round(n * SCALE))
}

/**
 * Runs an async property; on failure throws one message with the shrunk counterexample, the
 * error it raised, and the exact command that replays it.
 */
export async function assertProperty<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
  numRuns: number,
): Promise<fc.RunDetails<[T]>> {
  const details = await fc.check(fc.asyncProperty(arbitrary, check), {
    seed: PROPERTY_SEED,
    numRuns: runsOf(numRuns),
    path: PATH,
    // Shrinking re-runs cases against live databases; bound it so one failure cannot eat the run.
    interruptAfterTimeLimit: 45_000,
  })
  if (details.failed) {
    const error = details.errorInstance
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(
      [
        `Property "${label}" failed after ${details.numRuns} case(s) and ${details.numShrinks} shrink(s)${details.interrupted ? ' (shrinking cut short by the time limit)' : ''}.`,
        `Seed ${details.seed}, path "${details.counterexamplePath}".`,
        `Counterexample: ${fc.stringify(abridged(details.counterexample))}`,
        `Failure:\n${message}`,
        `Replay: PROPERTY_SEED=${details.seed} PROPERTY_PATH="${details.counterexamplePath}" npx vitest run --project property -t "${label}"`,
      ].join('\n'),
    )
  }
  return details
}

/** Long strings cut for the message (a 10,000-character body is not read by anyone). */
function abridged(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 120) {
    return {
      [fc.toStringMethod]: () =>
        `${fc.stringify(value.slice(0, 60))}+…(${value.length} UTF-16 units in all)…+${fc.stringify(value.slice(-20))}`,
    }
  }
  if (Array.isArray(value)) return value.map(abridged)
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abridged(v)]))
  }
  return value
}
