import * as v from 'valibot'
import { ENTITY_TABLES } from '../../protocol/entities'

/**
 * The pull cursor, opaque to the device. Two kinds:
 *
 * - A finished pull: `${rev}.${windowToEpochMs}`. The revision says which changes the device has
 *   seen; the window end says how far ahead its copy reaches, so the next pull can send whole
 *   every job that has entered the window since (its rows may be old revisions).
 * - A pull in the middle of its pages (the answer said `more: true`): `p.` and base64url JSON of
 *   a Stream, i.e. where the next page starts. The device stores it only once it has written the
 *   page it came with, so a pull cut halfway resumes at the first page not written.
 */
export interface Cursor {
  rev: number
  windowTo: number
}

/** Where a paged pull stands (see pullPage.ts for the order of the phases). */
export type Position =
  /** The technician's tombstones, after (rev, table, entity id). */
  | { phase: 'removals'; after: [number, string, string] | null }
  /** Company-wide labels, after this id. */
  | { phase: 'labels'; after: string | null }
  /**
   * The user's jobs in id order, a group at a time: after the last job of the previous group,
   * and, when a page ended inside a group, that group's last job, the table reached (index in
   * pullTables.ts GROUP_TABLES) and the sort key of the last row sent from it.
   */
  | {
      phase: 'jobs'
      after: string | null
      group: { last: string; table: number; key: string[] | null } | null
    }

export interface Stream {
  /** What the device had when the pull began (null: nothing, send everything). */
  since: Cursor | null
  /** The revision when the pull began: the finished cursor's revision. */
  rev: number
  /** The window end when the pull began; every page uses this window. */
  windowTo: number
  /** Entities the whole pull sends, about (null: not counted). */
  total: number | null
  at: Position
}

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.rev}.${cursor.windowTo}`
}

export function encodeStream(stream: Stream): string {
  return `p.${Buffer.from(JSON.stringify(stream)).toString('base64url')}`
}

/** Returns null for anything this server did not write. */
export function decodeCursor(text: string): Cursor | Stream | null {
  if (text.startsWith('p.')) {
    let json: unknown
    try {
      json = JSON.parse(Buffer.from(text.slice(2), 'base64url').toString('utf8'))
    } catch {
      return null
    }
    const parsed = v.safeParse(StreamSchema, json)
    return parsed.success ? (parsed.output as Stream) : null
  }
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text)
  if (!match) return null
  return { rev: Number(match[1]), windowTo: Number(match[2]) }
}

export function isStream(cursor: Cursor | Stream | null): cursor is Stream {
  return cursor !== null && 'at' in cursor
}

// What a stream cursor may hold. Keys are only ever bound as query parameters, but they are kept
// to the characters ids have so a made-up cursor cannot smuggle anything long or strange.
// Counts and times stop at 15 digits, as in a finished cursor (\d{1,15} above): a stream cursor
// the server accepts must never finish into a cursor it then refuses.
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(999_999_999_999_999))
const Key = v.pipe(v.string(), v.regex(/^[0-9A-Za-z-]{1,64}$/))
const CursorSchema = v.strictObject({ rev: Count, windowTo: Count })
const PositionSchema = v.variant('phase', [
  v.strictObject({
    phase: v.literal('removals'),
    after: v.nullable(v.tuple([Count, v.picklist(ENTITY_TABLES), Key])),
  }),
  v.strictObject({ phase: v.literal('labels'), after: v.nullable(Key) }),
  v.strictObject({
    phase: v.literal('jobs'),
    after: v.nullable(Key),
    group: v.nullable(
      v.strictObject({
        last: Key,
        table: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(20)),
        key: v.nullable(v.pipe(v.array(Key), v.minLength(1), v.maxLength(2))),
      }),
    ),
  }),
])
const StreamSchema = v.strictObject({
  since: v.nullable(CursorSchema),
  rev: Count,
  windowTo: Count,
  total: v.nullable(Count),
  at: PositionSchema,
})
