/**
 * Exponential backoff with jitter: attempt n (0-based) waits between half and all of
 * min(maxMs, initialMs × 2ⁿ), so that many agents cut off by the same outage do not come back in
 * step. Pure, given the random source.
 */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
