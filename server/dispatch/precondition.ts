import type { FastifyReply, FastifyRequest } from 'fastify'
import { HttpError } from '../http/errors'

/**
 * Optimistic concurrency for the office's PATCH routes. An office client names the version it
 * read, in the body (`baseVersion`, as the technician's edits do) or as an entity tag
 * (`If-Match: "3"`); a row that has moved on since is refused 409 `stale` and nothing is written.
 * Without either, the route writes as it always did (last write wins): old clients keep working,
 * but they can still overwrite a technician's edit they never saw.
 *
 * The check runs inside the route's transaction after nextRev (server/sync/revs.ts), whose row
 * lock serializes every writer on PostgreSQL: the second of two saves with the same version reads
 * the first one's row and is refused, never both applied.
 */

/** The `error` of a 409 whose precondition failed. */
export const STALE = 'stale'

/** A version as an entity tag: `"3"`. Also what a PATCH answers in its ETag header. */
export const entityTag = (version: number): string => `"${version}"`

const MAX_VERSION = 2_147_483_647
const STRONG_TAG = /^"(\d{1,10})"$/

/**
 * The version the request expects the row to be at, or undefined for "no precondition". A
 * malformed If-Match, or one that contradicts `baseVersion`, is a 400 with the reason: guessing
 * would either refuse a good save or let a stale one through.
 */
export function expectedVersion(
  request: FastifyRequest,
  baseVersion: number | undefined,
): number | undefined {
  const header = request.headers['if-match']
  if (header === undefined) return baseVersion
  const tag = ifMatchVersion(Array.isArray(header) ? header.join(',') : header)
  if (tag === undefined) return baseVersion
  if (baseVersion !== undefined && baseVersion !== tag) {
    throw new HttpError(
      400,
      'invalid_request',
      `If-Match names version ${tag} but baseVersion is ${baseVersion}; send one, or the same.`,
    )
  }
  return tag
}

/** `*` (any version: the row must only exist) → undefined; `"3"` → 3; anything else is a 400. */
function ifMatchVersion(header: string): number | undefined {
  const value = header.trim()
  if (value === '*') return undefined
  const match = STRONG_TAG.exec(value)
  const version = match ? Number(match[1]) : Number.NaN
  if (!(version <= MAX_VERSION)) {
    // One tag only: a version is one number, and a list would let a client match several.
    throw new HttpError(
      400,
      'invalid_request',
      `If-Match must be one version as a quoted entity tag, like "3" (the version you read), or *; got ${preview(value)}.`,
    )
  }
  return version
}

function preview(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
}

/** Throws 409 `stale` when the caller expected another version than the row's. */
export function checkVersion(what: string, current: number, expected: number | undefined): void {
  if (expected === undefined || expected === current) return
  throw new HttpError(
    409,
    STALE,
    `This ${what} changed since you read it (version ${current} now, you sent ${expected}); read it again and reapply your change.`,
    {},
    { version: current },
  )
}

/** The written row's version as the answer's ETag, for the client's next If-Match. */
export function setEntityTag(reply: FastifyReply, version: number): void {
  reply.header('etag', entityTag(version))
}
