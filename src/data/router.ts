import { signal } from '@preact/signals'

/**
 * Hash routes, so every screen works from the one precached index.html offline:
 * #/day/2026-11-28, #/job/<id>, #/job/<id>/estimate/<id|new>, #/job/<id>/invoice/<id|new>,
 * #/jobs, #/settings, #/settings/offline, #/settings/actions[/<seq>], #/signin.
 */
export type Route =
  | { name: 'day'; date: string }
  | { name: 'job'; id: string }
  /** An estimate or invoice of a job; docId 'new' starts one. */
  | { name: 'doc'; jobId: string; kind: 'estimate' | 'invoice'; docId: string }
  | { name: 'offline-settings' }
  | { name: 'jobs' }
  | { name: 'settings' }
  /** Offline Actions; `focus` names one entry (its seq) to bring into view, e.g. a Conflict. */
  | { name: 'actions'; focus?: number }
  | { name: 'signin' }

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent)
  switch (parts[0]) {
    case 'job':
      if (parts[1] && (parts[2] === 'estimate' || parts[2] === 'invoice') && parts[3]) {
        return { name: 'doc', jobId: parts[1], kind: parts[2], docId: parts[3] }
      }
      if (parts[1]) return { name: 'job', id: parts[1] }
      break
    case 'jobs':
      return { name: 'jobs' }
    case 'signin':
      return { name: 'signin' }
    case 'settings':
      if (parts[1] === 'actions') {
        const focus = Number(parts[2])
        return Number.isInteger(focus) && focus > 0
          ? { name: 'actions', focus }
          : { name: 'actions' }
      }
      if (parts[1] === 'offline') return { name: 'offline-settings' }
      return { name: 'settings' }
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
    case 'doc':
      return `#/job/${encodeURIComponent(route.jobId)}/${route.kind}/${encodeURIComponent(route.docId)}`
    case 'offline-settings':
      return '#/settings/offline'
    case 'jobs':
      return '#/jobs'
    case 'settings':
      return '#/settings'
    case 'actions':
      return route.focus ? `#/settings/actions/${route.focus}` : '#/settings/actions'
    case 'signin':
      return '#/signin'
  }
}

export const route = signal<Route>(parseRoute(location.hash))

/**
 * The list a job was opened from: Today (or the day in view) or Jobs. A job's Back goes there and
 * its tab stays marked while the job (or one of its documents) is open; Back used to go to Today
 * whatever the way in, losing the day or the Jobs search the technician came from.
 */
export const cameFrom = signal<{ href: string; tab: 'day' | 'jobs' }>({ href: '#/', tab: 'day' })
function remember(r: Route): void {
  if (r.name === 'day') {
    const today = !location.hash || location.hash === '#/' || r.date === localDate(new Date())
    cameFrom.value = { href: today ? '#/' : href(r), tab: 'day' }
  } else if (r.name === 'jobs') cameFrom.value = { href: '#/jobs', tab: 'jobs' }
}
/**
 * The last screen that was not sign-in. Signing in again after a session ended returns there:
 * it went to Today, away from the job or estimate the technician was working on.
 */
let lastScreen = route.value.name === 'signin' ? '#/' : location.hash || '#/'
remember(route.value)
addEventListener('hashchange', () => {
  if (parseRoute(location.hash).name !== 'signin') lastScreen = location.hash || '#/'
  route.value = parseRoute(location.hash)
  remember(route.value)
})

export function navigate(to: Route): void {
  location.hash = href(to)
}

/** Back to the screen before sign-in, in place of the sign-in entry (Back does not return to it). */
export function returnFromSignIn(): void {
  location.replace(lastScreen)
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
