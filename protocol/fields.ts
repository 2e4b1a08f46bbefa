import * as v from 'valibot'
import { canonicalDateTime } from './dateTime'

/**
 * Ids are UUIDs made by whoever creates the entity: the server, or the device when offline.
 * Lower case only, the form every UUID generator here writes: a UUID's hex is case-blind, but
 * the stores compare ids as text, and the local file store names files case-blind. With both
 * cases allowed, `A…` and `a…` were two rows in the database but one file on disk, and another
 * user's upload under the upper-case twin of an id overwrote the owner's photo. One spelling per
 * id closes that class: whatever compares ids, a twin cannot exist.
 */
export const Id = v.pipe(
  v.string(),
  v.uuid('must be a UUID'),
  v.regex(/^[0-9a-f-]+$/, 'must be a UUID in lower case'),
)

/** Path ids: anything but a UUID cannot name a row, so a route answers a plain 404. */
export function isId(value: unknown): value is string {
  return v.is(Id, value)
}

/**
 * A point in time. Any ISO-8601 date-time with a zone is accepted and comes out of the schema in
 * the one canonical form (UTC, milliseconds, Z: 2026-11-28T09:30:00.000Z); see dateTime.ts.
 */
export const IsoDateTime = v.pipe(
  v.string(),
  v.maxLength(64, 'must be an ISO date-time like 2026-11-28T09:30:00.000Z'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const iso = canonicalDateTime(dataset.value)
    if (iso !== null) return iso
    addIssue({ message: 'must be an ISO date-time like 2026-11-28T09:30:00.000Z' })
    return NEVER
  }),
)

/**
 * What no store can hold, taken out of every string a client sends: NUL (PostgreSQL's text
 * refuses U+0000, SQLite keeps it, so the two would disagree) and lone UTF-16 surrogates
 * (UTF-8 cannot encode them; each driver would write U+FFFD its own way). NUL is dropped; a lone
 * surrogate becomes U+FFFD, which is what a UTF-8 encoder does anyway. Other control characters
 * are kept: both stores hold them and they are the sender's business.
 */
export function cleanString(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what this removes
  return value.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd')
}
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/** Any string a client sends, cleaned of what no store can hold (see cleanString). */
export const CleanString = v.pipe(v.string(), v.transform(cleanString))

/**
 * Something to see: a character that is not white space (U+0085 and the other Unicode spaces
 * trim() keeps), a control or a format character (U+200B zero-width space, U+FEFF…). A note of
 * "\u200b" passed "must not be empty", was stored, and showed as a blank note.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}]/u

/** Free text a technician types: cleaned, trimmed, never empty, bounded so one note cannot fill a phone. */
export const text = (max: number) =>
  v.pipe(
    CleanString,
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.regex(VISIBLE, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  )

/** Optional free text: like text() but may be empty. */
export const optionalText = (max: number) =>
  v.pipe(CleanString, v.trim(), v.maxLength(max, `must be at most ${max} characters`))

/** A device's own sequence number for its outbox entries; strictly increasing per device. */
export const Seq = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(Number.MAX_SAFE_INTEGER),
)

/**
 * A row's version as a device saw it. Bounded by what a 32-bit integer column holds (both stores
 * keep versions as `integer`), so a hand-made client cannot send a number no query can bind.
 */
export const Version = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(2_147_483_647))
