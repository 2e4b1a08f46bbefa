/**
 * The sync protocol's version. It goes up when an action's arguments (or the push / pull
 * shapes) change in a way an older server or app would not understand.
 *
 * - 1: every app before versions were named (it sends no version).
 * - 2: `payment.add` leaves `reference` out when there is none, instead of sending null.
 *
 * The app names the version it speaks in the `X-Fieldline-Protocol` header of every request,
 * and each queued action carries the version it was made with (`v`). The server accepts the
 * current and the previous app version and upgrades older actions itself (server/sync/upgrade.ts);
 * an app outside that window is answered 426 `update_required` and keeps its queue until it is
 * updated.
 */
export const PROTOCOL_VERSION = 2

/** The oldest app version the server still takes pushes and pulls from. */
export const OLDEST_PROTOCOL_VERSION = PROTOCOL_VERSION - 1

/** What a request or an action without a version is: the apps from before versions existed. */
export const UNNAMED_PROTOCOL_VERSION = 1

/** The request header that names the app's protocol version, e.g. `X-Fieldline-Protocol: 2`. */
export const PROTOCOL_HEADER = 'x-fieldline-protocol'

/** The `error` of a 426 answer: this app is too old (or too new) for the server. */
export const UPDATE_REQUIRED = 'update_required'

/**
 * The body of a 426: an ApiError (`error` is `update_required`, `message` a sentence) plus the
 * versions the server takes, so a client can tell "update the app" from "the server is behind".
 */
export interface UpdateRequired {
  error: typeof UPDATE_REQUIRED
  message: string
  /** The version the request named. (null came from servers before 2026-12-03, for a header that
   * was not a number; such a header is a 400 now.) */
  protocolVersion: number | null
  /** The versions the server accepts, oldest and newest. */
  accepts: { oldest: number; newest: number }
}
