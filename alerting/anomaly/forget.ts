/*
 * Exponential forgetting set in time, with a point-count floor. Every memory of the default detector
 * is an exponentially weighted average whose weight for a new point comes from here, so that the
 * same configuration means the same wall-clock behaviour on a 15 s series and on an hourly one.
 */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Weight of a new point in an average with the given half-life, after `dtMs` since the previous one:
 * 1 − 2^(−dt / halfLife). While fewer than 1/weight points have been averaged (`count` so far,
 * including this one), the plain mean 1/count is used instead: an average of 3 points must not
 * pretend to remember a day, and starting from a guess would bias it for a whole half-life.
 */
export function forgetWeight(dtMs: number, halfLifeMs: number, count: number): number {
  const timed = timedWeight(dtMs, halfLifeMs);
  const floor = count > 0 ? 1 / count : 1;
  return timed > floor ? timed : floor;
}

/** The time part alone: 1 − 2^(−dt / halfLife). */
export function timedWeight(dtMs: number, halfLifeMs: number): number {
  return halfLifeMs > 0 ? 1 - 2 ** (-dtMs / halfLifeMs) : 1;
}
