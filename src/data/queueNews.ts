import { effect } from '@preact/signals'
import { announce } from './alerts'
import { conflictCount, failedCount, outboxLoaded, pendingCount } from './outboxState'
import { route } from './router'

/** A queue that emptied this soon after it filled was a save online: "Saved. Uploading now." said it. */
const QUIET_MS = 2_000

/**
 * What happens to the queue out of sight, said to screen readers (the polite announcement
 * region): an upload that brought a conflict or a refusal back, and the queue emptying after a
 * wait ("All caught up"). Sighted technicians see badges change and the pill's count go; someone
 * who cannot see them heard nothing when the signal came back and the queue uploaded.
 * The counts first read after a sign-in or a reload are a baseline, not news.
 */
export function startQueueNews(): void {
  let last: { pending: number; failed: number; conflicts: number } | null = null
  let pendingSince = 0
  effect(() => {
    const now = {
      pending: pendingCount.value,
      failed: failedCount.value,
      conflicts: conflictCount.value,
    }
    // Signed out, or another technician's queue on its way: the next counts are a baseline.
    if (!outboxLoaded.value) {
      last = null
      return
    }
    if (!last) {
      last = now
      pendingSince = now.pending > 0 ? Date.now() : 0
      return
    }
    const news: string[] = []
    if (now.conflicts > last.conflicts) {
      const n = now.conflicts - last.conflicts
      news.push(
        n === 1
          ? 'The office changed something you changed too: choose what to keep in Offline Actions.'
          : `The office changed ${n} things you changed too: choose what to keep in Offline Actions.`,
      )
    }
    if (now.failed > last.failed) {
      const n = now.failed - last.failed
      news.push(`${n === 1 ? '1 action' : `${n} actions`} could not upload: see Offline Actions.`)
    }
    if (now.pending > 0 && last.pending === 0) pendingSince = Date.now()
    if (now.pending === 0 && last.pending > 0 && Date.now() - pendingSince >= QUIET_MS) {
      news.push('All caught up: everything you saved is on the server.')
    }
    last = now
    // Offline Actions says all of it in its own live region: not twice.
    if (news.length > 0 && route.peek().name !== 'actions') announce(news.join(' '))
  })
}
