import { signal } from '@preact/signals'
import { type NetKind, observeNetwork, requestJson } from '../../offline/http'
import { announce, dismissOfflineToasts } from './alerts'

/**
 * Online / weak / offline from real evidence: every API request reports how it went, and
 * while the app thinks it is cut off, a light probe of /api/health (4 s budget) decides when
 * the server is back. `navigator.onLine` alone lies both ways: it says "online" on a dead
 * hotspot, and some browsers never flip it at all.
 */
export type ConnectionState = 'online' | 'weak' | 'offline'

export const connection = signal<ConnectionState>(navigator.onLine ? 'online' : 'offline')
/** Shown by the offline alert; set again each time the device goes offline or weak. */
export const offlineAlertVisible = signal(!navigator.onLine)

const backListeners: Array<() => void> = []
let probeTimer: ReturnType<typeof setTimeout> | undefined
let probeFailures = 0

export function onConnectionBack(fn: () => void): void {
  backListeners.push(fn)
}

function setState(next: ConnectionState): void {
  const prev = connection.value
  if (prev === next) return
  connection.value = next
  if (next === 'online') {
    offlineAlertVisible.value = false
    dismissOfflineToasts()
    // The offline alert going away and the pill's word changing are seen, not heard.
    announce('Back online.')
    probeFailures = 0
    clearTimeout(probeTimer)
    for (const fn of backListeners) fn()
  } else {
    if (prev === 'online') offlineAlertVisible.value = true
    scheduleProbe()
  }
}

function report(kind: NetKind, url: string): void {
  if (kind === 'offline') setState('offline')
  else if (kind === 'timeout') setState(connection.value === 'offline' ? 'offline' : 'weak')
  else if (!url.endsWith('/api/health') || kind === 'ok') setState('online')
}

function scheduleProbe(): void {
  clearTimeout(probeTimer)
  const delay = Math.min(3_000 * 2 ** probeFailures, 30_000)
  probeTimer = setTimeout(probe, delay)
}

export async function probe(): Promise<boolean> {
  const res = await requestJson('/api/health', { timeoutMs: 4_000 })
  if (res.kind === 'ok') return true
  probeFailures++
  if (connection.value !== 'online') scheduleProbe()
  return false
}

export function startConnectionMonitor(): void {
  observeNetwork(report)
  addEventListener('offline', () => setState('offline'))
  addEventListener('online', () => {
    probeFailures = 0
    void probe()
  })
  if (!navigator.onLine) scheduleProbe()
}
