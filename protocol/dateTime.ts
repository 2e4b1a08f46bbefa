/**
 * The one place a date-time from a client is parsed. Whatever ISO-8601 shape a device or a
 * hand-made client sends ("2026-01-01T00:00:00+01", "2026-01-01 09:30Z", "…,5-0530"), the schema
 * turns it into ONE canonical form: UTC with milliseconds and `Z`, exactly what
 * `Date.prototype.toISOString()` makes ("2026-01-01T08:00:00.000Z"). Everything after the schema
 * (the device's outbox, the server's apply functions, both databases) only ever sees that form,
 * so nothing re-parses a date ad hoc and text order equals time order.
 *
 * Accepted: YYYY-MM-DD, then T or a space (either case), HH:MM, optional :SS, an optional
 * fraction (dot or comma, any number of digits; kept to the millisecond, truncated), then Z or an
 * offset ±HH, ±HHMM or ±HH:MM. Refused: impossible days (February 31st), hour 24, leap second 60,
 * and anything whose UTC year falls outside 0000–9999 (it would not keep the fixed-width form).
 */
const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/

/** What toISOString() makes, which is what devices send: checked without building a Date. */
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/

export function canonicalDateTime(input: string): string | null {
  const c = CANONICAL.exec(input)
  if (c) {
    const [, y, mo, d, h, mi, s] = c.map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ]
    const ok = mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && s <= 59
    return ok ? input : null
  }
  const m = PATTERN.exec(input)
  if (!m) return null
  const [, y, mo, d, h, mi, s = '0', frac = '', , sign, oh = '0', om = '0'] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  const offH = Number(oh)
  const offM = Number(om)
  if (offH > 23 || offM > 59) return null
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'))
  const offset = (sign === '-' ? -1 : 1) * (offH * 60 + offM)
  const date = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute - offset, second, ms)
  const iso = date.toISOString()
  return /^\d{4}-/.test(iso) ? iso : null
}

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}
