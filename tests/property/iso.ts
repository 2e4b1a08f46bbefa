/**
 * An independent reading of the ISO-8601 timestamps the shared schema accepts (valibot's
 * isoTimestamp: `YYYY-MM-DD[T ]hh:mm:ss[.f{1,9}](Z|[ ]±hh[[:]mm])`), used as the test's oracle.
 * It does not use `Date.parse`: JavaScript's parser is exactly what is under test (it throws on
 * `+01`, and its legacy fallback reads `0050-06-01 12:00:00 +0100` as 1950).
 */
const SHAPE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z| ?([+-])(\d{2})(?::?(\d{2}))?)$/

export type Instant =
  | {
      ok: true
      ms: number /** more than 3 fraction digits: sub-millisecond precision */
      fine: boolean
    }
  | { ok: false; why: string }

/** The instant a timestamp denotes, or why it denotes none (e.g. 2026-02-30). */
export function isoInstant(text: string): Instant {
  const m = SHAPE.exec(text)
  if (!m) return { ok: false, why: 'not an ISO timestamp' }
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[]
  const fraction = m[7] ?? ''
  if (month! < 1 || month! > 12) return { ok: false, why: 'no such month' }
  if (day! < 1 || day! > daysIn(year!, month!)) return { ok: false, why: 'no such day' }
  if (hour! > 23 || minute! > 59 || second! > 59) return { ok: false, why: 'no such time' }
  const sign = m[8] === '-' ? -1 : 1
  const offsetMinutes = m[8] ? sign * (Number(m[9]) * 60 + Number(m[10] ?? 0)) : 0
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year!, month! - 1, day!)
  date.setUTCHours(hour!, minute!, second!, Number(fraction.padEnd(3, '0').slice(0, 3)))
  return { ok: true, ms: date.getTime() - offsetMinutes * 60_000, fine: fraction.length > 3 }
}

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number
}

/**
 * The one stored form of a time: `YYYY-MM-DDThh:mm:ss.sssZ`. The server compares stored times
 * as text (the sync window, ordering), so only this fixed-width form orders correctly; an
 * instant outside years 0000–9999 has no such form (toISOString gives `+010000-…`).
 */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * Why a stored time is not what the accepted input said, or null when it is: the same instant,
 * in the canonical form. Sub-millisecond digits may be cut or rounded (JavaScript has ms).
 */
export function storedTimeProblem(stored: unknown, input: string): string | null {
  const instant = isoInstant(input)
  if (!instant.ok) return `the server applied ${JSON.stringify(input)} (${instant.why})`
  if (typeof stored !== 'string' || !CANONICAL.test(stored)) {
    return `stored ${JSON.stringify(stored)} for ${JSON.stringify(input)}: not YYYY-MM-DDThh:mm:ss.sssZ`
  }
  const ms = Date.parse(stored)
  const ok = instant.fine ? ms === instant.ms || ms === instant.ms + 1 : ms === instant.ms
  if (ok) return null
  const want = new Date(instant.ms).toISOString()
  return `stored ${stored} for ${JSON.stringify(input)}, which is ${want}`
}

/** The canonical form of an input the server should store, when it has one (for comparisons). */
export function canonicalIso(input: string): string | null {
  const instant = isoInstant(input)
  if (!instant.ok) return null
  const text = new Date(instant.ms).toISOString()
  return CANONICAL.test(text) ? text : null
}
