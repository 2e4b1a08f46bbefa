/**
 * The work of a sync round: the drain (with the queue's writers and bisection), the pre-load
 * (pull pages, every action's local effect laid over them again, file downloads) and retention.
 * sync.ts loads this on first use rather than with the first screen, which only needs the
 * queue's counts to paint: the chunk is precached by the service worker like every other, so
 * it loads offline too, and a round starts right after the start (sync.ts startSyncTriggers).
 */
export { preload } from '../../offline/preload'
export { applyRetention } from '../../offline/retention'
export { drain } from '../../offline/syncEngine'
