import { computed, effect, signal } from '@preact/signals'
import type { OutboxEntry } from '../../offline/outboxEntry'
import { listOutbox } from '../../offline/outboxList'
import { liveSignal } from './live'
import { activeDb, user } from './session'

const live = liveSignal<OutboxEntry[]>([])

/** The offline actions queue, oldest first, live across tabs and the service worker. */
export const outbox = live.value
/** The queue of the signed-in user has been read (until then `outbox` is an empty placeholder). */
export const outboxLoaded = live.loaded

effect(() => {
  const db = user.value ? activeDb() : undefined
  live.follow(db ? () => listOutbox(db) : undefined)
})

export const pendingCount = computed(() => outbox.value.length)
/** Actions the server refused or could not take (Failed): they wait for Retry or Discard. */
export const failedCount = computed(() => outbox.value.filter((e) => e.status === 'failed').length)
/** Conflicts: edits that wait for the technician's choice ("1 needs you"). */
export const conflictCount = computed(
  () => outbox.value.filter((e) => e.status === 'conflict').length,
)

/**
 * For each entity with a Conflict among its entries (the job, the estimate…), the first such
 * entry's seq: a CONFLICT badge links straight to that card in Offline Actions.
 */
const conflictSeqs = computed(() => {
  const map = new Map<string, number>()
  for (const entry of outbox.value) {
    if (entry.status !== 'conflict') continue
    for (const key of entry.entityKeys) {
      const id = key.slice(key.indexOf(':') + 1)
      if (!map.has(id)) map.set(id, entry.seq as number)
    }
  }
  return map
})

export const conflictSeqOf = (id: string): number | undefined => conflictSeqs.value.get(id)
/** The oldest Conflict's seq: where "Choose what to keep" opens Offline Actions. */
export const firstConflictSeq = computed(
  () => outbox.value.find((e) => e.status === 'conflict')?.seq,
)

/** Actions the drain will send by itself (Queued or being uploaded). */
export const waitingCount = computed(
  () => outbox.value.filter((e) => e.status === 'queued' || e.status === 'uploading').length,
)

const RANK: Record<OutboxEntry['status'], number> = {
  queued: 0,
  uploading: 1,
  failed: 2,
  conflict: 2,
}

/**
 * The queue status of every entity with an unsent change (the "worst" of the entries that
 * touch it), computed once per queue change: screens look entities up in it while rendering.
 */
const statuses = computed(() => statusMap(outbox.value, (keys) => keys))

/**
 * The same, counting only the entries whose own subject the entity is (an action's first entity
 * key; the others are what contains it, e.g. a note's job). A job's header marks changes to the job
 * itself: a refused note beside "Scheduled" read "Scheduled FAILED", as if the status had failed.
 */
const ownStatuses = computed(() => statusMap(outbox.value, (keys) => keys.slice(0, 1)))

function statusMap(
  entries: readonly OutboxEntry[],
  keysOf: (keys: readonly string[]) => readonly string[],
): Map<string, OutboxEntry['status']> {
  const map = new Map<string, OutboxEntry['status']>()
  for (const entry of entries) {
    for (const key of keysOf(entry.entityKeys)) {
      const id = key.slice(key.indexOf(':') + 1)
      const seen = map.get(id)
      if (seen === undefined || RANK[entry.status] > RANK[seen]) map.set(id, entry.status)
    }
  }
  return map
}

/**
 * Entities an action of this page has just queued, each with the queue list as it was then: an
 * entity's own live query and the queue list answer a commit in either order, and an entity
 * shown before its entry reached the list showed for a moment with no Queued mark (Queued,
 * nothing, Queued). Each is dropped once the queue list has been read again since.
 */
const justQueued = signal<ReadonlyMap<string, readonly OutboxEntry[]>>(new Map())
/** Of those, the actions' own subjects (see ownStatuses). */
const justQueuedOwn = signal<ReadonlyMap<string, readonly OutboxEntry[]>>(new Map())

/** Called by the commands as soon as an action is committed (before any screen re-renders). */
export function markJustQueued(entityKeys: readonly string[]): void {
  const idOf = (key: string) => key.slice(key.indexOf(':') + 1)
  const next = new Map(justQueued.peek())
  for (const key of entityKeys) next.set(idOf(key), outbox.peek())
  justQueued.value = next
  const own = entityKeys[0]
  if (own) justQueuedOwn.value = new Map(justQueuedOwn.peek()).set(idOf(own), outbox.peek())
}

effect(() => {
  const list = outbox.value
  for (const marks of [justQueued, justQueuedOwn]) {
    const held = marks.peek()
    if ([...held.values()].some((at) => at !== list)) {
      marks.value = new Map([...held].filter(([, at]) => at === list))
    }
  }
})

/** The queue status of changes to the entity itself, not to what it contains. */
export function ownStatus(id: string): OutboxEntry['status'] | undefined {
  return ownStatuses.value.get(id) ?? (justQueuedOwn.value.has(id) ? 'queued' : undefined)
}

/** Ids of every entity with an unsent change, for the "Items offline" highlight. */
export const pendingIds = computed(
  () => new Set([...statuses.value.keys(), ...justQueued.value.keys()]),
)

export function pendingStatus(id: string): OutboxEntry['status'] | undefined {
  return statuses.value.get(id) ?? (justQueued.value.has(id) ? 'queued' : undefined)
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
