const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A date as a `datetime-local` input takes it (`2026-12-01T14:30`), in the test process's time
 * zone, which the browser shares: what a technician types into Starts and Ends.
 */
export const localInput = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
