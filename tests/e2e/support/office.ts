import type { Page } from '@playwright/test'
import type { PullResponse } from '../../../protocol/sync'
import { apiAs, TECH, type TestServer } from './fixtures'

/** 23:00–23:30 today in the page's time zone: a visit that lands on Today's list. */
export function lateTodaySlot(page: Page): Promise<[string, string]> {
  return page.evaluate(() => {
    const start = new Date()
    start.setHours(23, 0, 0, 0)
    return [start.toISOString(), new Date(start.getTime() + 30 * 60_000).toISOString()]
  })
}

/** One of the technician's jobs: the first their own pull holds. */
export async function aJobOfTech(server: TestServer): Promise<string> {
  const tech = await apiAs(server, TECH)
  const jobId = (await tech.get<PullResponse>('/api/sync/pull')).changes.jobs[0]?.id
  if (!jobId) throw new Error('the technician has no job')
  return jobId
}
