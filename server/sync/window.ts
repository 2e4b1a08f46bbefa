import { DAYS_AHEAD, DAYS_BACK } from '../../protocol/window'
import type { Stream } from './cursor'

/** The length of the sync window (protocol/window.ts): from 30 days back to 8 days ahead. */
const WINDOW_MS = (DAYS_BACK + DAYS_AHEAD + 1) * 86_400_000

export interface StreamWindow {
  /** The jobs a device holds have an appointment starting in [from, to). */
  scope: { from: string; to: string }
  /**
   * The part of the window the device's cursor did not cover yet (time has passed since its last
   * pull): jobs with an appointment there are sent whole, their rows may be old revisions.
   */
  entered: { from: string; to: string } | null
}

/**
 * The window every page of a pull uses: the one of the moment the pull began (its end is in the
 * stream), so a pull spanning midnight or a long pause does not mix two windows.
 */
export function streamWindow(stream: Pick<Stream, 'since' | 'windowTo'>): StreamWindow {
  const to = stream.windowTo
  const from = to - WINDOW_MS
  const since = stream.since
  const enteredFrom = since ? Math.max(since.windowTo, from) : null
  return {
    scope: { from: iso(from), to: iso(to) },
    entered:
      enteredFrom !== null && enteredFrom < to ? { from: iso(enteredFrom), to: iso(to) } : null,
  }
}

const iso = (ms: number) => new Date(ms).toISOString()
