import { computed, effect } from '@preact/signals'
import { listOutbox } from '../../offline/outbox'
import type { OutboxEntry } from '../../offline/outboxEntry'
import { liveSignal } from './live'
import { activeDb, user } from './session'

const live = liveSignal<OutboxEntry[]>([])

/** The offline actions queue, oldest first, live across tabs and the service worker. */
export const outbox = live.value

effect(() => {
  const db = user.value ? activeDb() : undefined
  live.follow(db ? () => listOutbox(db) : undefined)
})

export const pendingCount = computed(() => outbox.value.length)

/** Ids of every entity with an unsent change, for the "Items offline" highlight. */
export const pendingIds = computed(() => {
  const ids = new Set<string>()
  for (const entry of outbox.value) {
    for (const key of entry.entityKeys) ids.add(key.slice(key.indexOf(':') + 1))
  }
  return ids
})

/** The queue status of one entity: the "worst" of the entries that touch it. */
export function pendingStatus(id: string): OutboxEntry['status'] | undefined {
  if (!pendingIds.value.has(id)) return undefined
  let status: OutboxEntry['status'] = 'queued'
  for (const entry of outbox.value) {
    if (!entry.entityKeys.some((k) => k.endsWith(`:${id}`))) continue
    if (entry.status === 'failed' || entry.status === 'conflict') return entry.status
    if (entry.status === 'uploading') status = 'uploading'
  }
  return status
}

/**
 * Payments the server refused (Failed: e.g. the office changed the invoice meanwhile). They stay
 * listed, marked Failed, until Retry or Discard, but are not counted in a balance: the balance
 * shown is what the server holds, never one that goes below zero on a refused payment.
 */
export const refusedPaymentIds = computed(() => {
  const ids = new Set<string>()
  for (const entry of outbox.value) {
    if (
      entry.name === 'payment.add' &&
      (entry.status === 'failed' || entry.status === 'conflict')
    ) {
      ids.add((entry.args as { id: string }).id)
    }
  }
  return ids
})

/** The payments that count towards an invoice's balance (all but refused ones). */
export const countedPayments = <T extends { id: string }>(payments: T[]): T[] =>
  payments.filter((p) => !refusedPaymentIds.value.has(p.id))
