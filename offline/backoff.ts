/**
 * How long to wait before the next automatic upload attempt after `failures` failed ones in a
 * row: 2 s, 4 s, 8 s ... capped at 5 minutes, with jitter so a van full of tablets coming back
 * into coverage together does not hit the server in lockstep. The page's `online` and
 * "visible again" triggers skip the wait; this only paces the timer.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(2_000 * 2 ** Math.max(0, failures - 1), 300_000)
  return Math.round(base * (0.5 + random() / 2))
}
