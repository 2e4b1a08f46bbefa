const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' })
const shortDay = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
})
const stamp = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
})

export const formatTime = (iso: string) => time.format(new Date(iso))
export const formatStamp = (iso: string) => stamp.format(new Date(iso))
export const formatShortDay = (iso: string) => shortDay.format(new Date(iso))

/** "Saturday 28 November" for a YYYY-MM-DD local date. */
export function formatDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return day.format(new Date(y, m - 1, d))
}

/** "2 min ago", "at 09:14" — how recent a sync is, in words. */
export function formatAgo(iso: string, now = Date.now()): string {
  const s = Math.round((now - new Date(iso).getTime()) / 1000)
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  return formatStamp(iso)
}

export function mapsLink(address: string): string {
  return `https://maps.google.com/?q=${encodeURIComponent(address)}`
}

export const STATUS_WORDS: Record<string, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  on_hold: 'On hold',
  completed: 'Completed',
  cancelled: 'Cancelled',
  en_route: 'En route',
  started: 'Started',
}

/** "12.5" or "$1,234.56" → cents, exactly (no float rounding); null if it is not money. */
export function parseMoney(text: string): number | null {
  const m = /^\$?\s*(\d{1,9})(?:\.(\d{0,2}))?$/.exec(text.replace(/,/g, '').trim())
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** Cents → "12.50" for an input box. */
export const centsToInput = (cents: number) => (cents / 100).toFixed(2)
