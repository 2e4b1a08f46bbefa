/**
 * Only one upload of a user's queue runs at a time across every tab and the service worker:
 * they all ask for the same Web Lock and wait their turn. The next holder finds the queue
 * already drained and returns at once, so nothing is sent twice.
 *
 * Known limit: a browser without Web Locks (Safari before 15.4) runs the upload unguarded;
 * the server's per-mutation ids still make a double send harmless, only wasteful. One more
 * edge there: a second drain starting takes the first one's batch out of the in-flight record
 * (inFlight.ts) as if it had been cut short, so an entry of it discarded during that push can
 * come back when the push is answered (as it could when entries were marked Uploading).
 */
export async function withSyncLock<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks
  if (!locks) return fn()
  return locks.request(`fieldline-sync-${userId}`, fn)
}
