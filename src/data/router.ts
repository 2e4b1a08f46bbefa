import { signal } from '@preact/signals'

/**
 * Hash routes, so every screen works from the one precached index.html offline:
 * #/day/2026-11-28, #/job/<id>, #/jobs, #/settings, #/settings/actions.
 */
export type Route =
  | { name: 'day'; date: string }
  | { name: 'job'; id: string }
  | { name: 'jobs' }
  | { name: 'settings' }
  | { name: 'actions' }
  | { name: 'signin' }

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  switch (parts[0]) {
    case 'job':
      if (parts[1]) return { name: 'job', id: parts[1] }
      break
    case 'jobs':
      return { name: 'jobs' }
    case 'signin':
      return { name: 'signin' }
    case 'settings':
      return parts[1] === 'actions' ? { name: 'actions' } : { name: 'settings' }
    case 'day':
      if (parts[1] && /^\d{4}-\d{2}-\d{2}$/.test(parts[1])) return { name: 'day', date: parts[1] }
      break
  }
  return { name: 'day', date: localDate(new Date()) }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'day':
      return `#/day/${route.date}`
    case 'job':
      return `#/job/${encodeURIComponent(route.id)}`
    case 'jobs':
      return '#/jobs'
    case 'settings':
      return '#/settings'
    case 'actions':
      return '#/settings/actions'
    case 'signin':
      return '#/signin'
  }
}

export const route = signal<Route>(parseRoute(location.hash))
addEventListener('hashchange', () => {
  route.value = parseRoute(location.hash)
})

export function navigate(to: Route): void {
  location.hash = href(to)
}

/** YYYY-MM-DD of a moment in the device's time zone (the technician's working day). */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return localDate(new Date(y, m - 1, d + days))
}
