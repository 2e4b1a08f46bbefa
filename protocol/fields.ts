import * as v from 'valibot'

/** Ids are UUIDs made by whoever creates the entity: the server, or the device when offline. */
export const Id = v.pipe(v.string(), v.uuid('must be a UUID'))

/** A point in time as an ISO-8601 string in UTC, e.g. 2026-11-28T09:30:00.000Z. */
export const IsoDateTime = v.pipe(v.string(), v.isoTimestamp('must be an ISO date-time'))

/** Free text a technician types: trimmed, never empty, bounded so one note cannot fill a phone. */
export const text = (max: number) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.minLength(1, 'must not be empty'),
    v.maxLength(max, `must be at most ${max} characters`),
  )

/** A device's own sequence number for its outbox entries; strictly increasing per device. */
export const Seq = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(1),
  v.maxValue(Number.MAX_SAFE_INTEGER),
)

/** Path ids: anything but a UUID cannot name a row, so a route answers a plain 404. */
export function isId(value: unknown): value is string {
  return v.is(Id, value)
}
