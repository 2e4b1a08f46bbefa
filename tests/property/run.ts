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
/**
 * PROPERTY_EXPLORE=1: do not stop at the first failing case; run them all and list every
 * distinct kind of failure once (with a count and its first example). For taking stock of
 * what is broken, not for CI: nothing is shrunk.
 */
const EXPLORE = Boolean(process.env.PROPERTY_EXPLORE)
const SHRINK_MS = 10_000

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
  if (EXPLORE) return explore(label, arbitrary, check, numRuns)
  // Shrinking re-runs cases against live databases; it gets SHRINK_MS after the first failure,
  // then every candidate counts as passing, which ends it with the smallest failure found so far.
  // (fast-check's own interruptAfterTimeLimit abandons the running case mid-request, which
  // would then overlap the next test's requests.)
  let failedAt: number | null = null
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      if (failedAt !== null && Date.now() - failedAt > SHRINK_MS) return
      try {
        await check(value)
      } catch (error) {
        if (!fc.PreconditionFailure.isFailure(error)) failedAt ??= Date.now()
        throw error
      }
    }),
    { seed: PROPERTY_SEED, numRuns: runsOf(numRuns), path: PATH },
  )
  const cut = failedAt !== null && Date.now() - failedAt > SHRINK_MS
  if (details.failed) {
    const error = details.errorInstance
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(
      [
        `Property "${label}" failed after ${details.numRuns} case(s) and ${details.numShrinks} shrink(s)${cut ? ` (shrinking stopped after ${SHRINK_MS / 1000} s)` : ''}.`,
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
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined
  if (proto === Object.prototype || proto === null) {
    return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, abridged(v)]))
  }
  return value
}

async function explore<T>(
  label: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => Promise<void>,
  numRuns: number,
): Promise<fc.RunDetails<[T]>> {
  const kinds = new Map<string, { count: number; example: string; value: unknown }>()
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (value) => {
      try {
        await check(value)
      } catch (error) {
        if (fc.PreconditionFailure.isFailure(error)) throw error
        const message = error instanceof Error ? error.message : String(error)
        const kind = kindOf(message)
        const seen = kinds.get(kind)
        if (seen) seen.count++
        else kinds.set(kind, { count: 1, example: message, value })
      }
    }),
    { seed: PROPERTY_SEED, numRuns: runsOf(numRuns), endOnFailure: true },
  )
  if (kinds.size > 0 || details.failed) {
    const list = [...kinds.values()].map(
      (k, i) =>
        `#${i + 1} (${k.count} case(s))\n  input: ${fc.stringify(abridged(k.value)).slice(0, 1500)}\n  ${k.example.slice(0, 1500).replaceAll('\n', '\n  ')}`,
    )
    throw new Error(
      `Property "${label}" (PROPERTY_EXPLORE, seed ${PROPERTY_SEED}): ${kinds.size} kind(s) of failure in ${details.numRuns} case(s)\n${list.join('\n')}`,
    )
  }
  return details
}

/** A failure's kind: its lines with ids, quoted values and numbers blanked, sorted. */
function kindOf(message: string): string {
  return message
    .split('\n')
    .map((line) =>
      line
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
        .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
        .replace(/\d+/g, 'N'),
    )
    .sort()
    .join(' | ')
}
