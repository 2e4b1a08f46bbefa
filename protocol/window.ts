/**
 * The stretch of time a technician's device holds: appointments from 30 days back to 7 days
 * ahead (the brief's "Locally Stored Entities" window). Server scope and device retention both
 * use these numbers, so they live here.
 */
export const DAYS_BACK = 30
export const DAYS_AHEAD = 7
const DAY_MS = 86_400_000

export function syncWindow(now: Date): { from: string; to: string } {
  return {
    from: new Date(now.getTime() - DAYS_BACK * DAY_MS).toISOString(),
    to: new Date(now.getTime() + (DAYS_AHEAD + 1) * DAY_MS).toISOString(),
  }
}
