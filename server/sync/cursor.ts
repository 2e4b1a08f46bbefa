/**
 * The pull cursor: `${rev}.${windowToEpochMs}`. Opaque to the device. The revision says which
 * changes it has seen; the window end says how far ahead its copy reaches, so the next pull
 * can send whole every job that has entered the window since (its rows may be old revisions).
 */
export interface Cursor {
  rev: number
  windowTo: number
}

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.rev}.${cursor.windowTo}`
}

/** Returns null for anything this server did not write. */
export function decodeCursor(text: string): Cursor | null {
  const match = /^(\d{1,15})\.(\d{1,15})$/.exec(text)
  if (!match) return null
  return { rev: Number(match[1]), windowTo: Number(match[2]) }
}
