// @ts-check

/** @param {number[]} sorted @param {number} p 0..100, nearest rank */
function rank(sorted, p) {
  if (sorted.length === 0) return null
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null
}

/** @param {number | null} n */
export const ms = (n) => (n === null ? null : Math.round(n * 10) / 10)

/** @param {number[]} values */
export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50Ms: ms(rank(sorted, 50)),
    p95Ms: ms(rank(sorted, 95)),
    p99Ms: ms(rank(sorted, 99)),
    maxMs: ms(sorted.at(-1) ?? null),
  }
}

/** @param {number[]} values */
export function median(values) {
  return rank(
    [...values].sort((a, b) => a - b),
    50,
  )
}

/**
 * Latencies per request kind, with the time each ended (for rates over a phase), and errors by
 * kind and cause. A "kind" is what a device did: `signin`, `pull.cold` (a whole cold pull, all
 * its pages), `page.cold`, `pull.delta`, `page.delta`, `push`, `upload`, `resend`…
 */
export class Recorder {
  constructor() {
    /** @type {Map<string, Array<{ ms: number, at: number }>>} */
    this.samples = new Map()
    /** @type {Map<string, number>} */
    this.errors = new Map()
  }

  /** @param {string} kind @param {number} took */
  add(kind, took) {
    const list = this.samples.get(kind) ?? []
    if (list.length === 0) this.samples.set(kind, list)
    list.push({ ms: took, at: performance.now() })
  }

  /** @param {string} kind @param {string} cause */
  error(kind, cause) {
    const key = `${kind}: ${cause}`
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1)
  }

  /** @param {string} kind @param {number} [from] @param {number} [to] performance.now() bounds */
  values(kind, from = 0, to = Number.POSITIVE_INFINITY) {
    return (this.samples.get(kind) ?? []).filter((s) => s.at >= from && s.at <= to).map((s) => s.ms)
  }

  /** @param {number} [from] @param {number} [to] */
  byKind(from = 0, to = Number.POSITIVE_INFINITY) {
    /** @type {Record<string, ReturnType<typeof summary>>} */
    const out = {}
    for (const kind of [...this.samples.keys()].sort()) {
      const values = this.values(kind, from, to)
      if (values.length > 0) out[kind] = summary(values)
    }
    return out
  }

  errorList() {
    return Object.fromEntries([...this.errors.entries()].sort())
  }

  errorCount() {
    let n = 0
    for (const count of this.errors.values()) n += count
    return n
  }
}
