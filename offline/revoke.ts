import { pendingRevocations, removePendingRevocation } from './account'
import { requestJson } from './http'

/**
 * Ends on the server the sessions this device signed out of while it could not reach it: POST
 * /api/auth/revoke with each pending revocation token, which is then forgotten. The route needs
 * no cookie (the page cannot read the HttpOnly one, and another technician may have signed in
 * since, replacing it). Stops at the first request that does not get through and leaves the rest
 * for the next try (start, connection back, after a sign-in). Safe to run twice at once: the
 * server answers ok for a session already ended.
 *
 * Returns true when nothing is left pending.
 */
let running: Promise<boolean> | undefined

export function flushRevocations(): Promise<boolean> {
  running ??= flush().finally(() => {
    running = undefined
  })
  return running
}

async function flush(): Promise<boolean> {
  for (const token of await pendingRevocations()) {
    const res = await requestJson('/api/auth/revoke', {
      method: 'POST',
      body: { token },
      timeoutMs: 10_000,
    })
    // ok: ended (or long gone). refused: the server will never accept this token (malformed);
    // sending it again cannot help. Anything else (offline, timeout, 5xx): try again later.
    if (res.kind === 'ok' || res.kind === 'refused') await removePendingRevocation(token)
    else return false
  }
  return true
}
