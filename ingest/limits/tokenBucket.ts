/** What TokenBucket.take answers: taken, or how long until the same request would be. */
export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/**
 * A token bucket: `ratePerSecond` tokens flow in, up to `burst`; a request takes one token per
 * sample or log line. Time comes from the caller (no clock of its own), so tests drive it.
 * A rate of 0 means unlimited. A request larger than the whole bucket could never pass, so it
 * takes at most `burst` tokens: it passes when the bucket is full (and empties it).
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  take(count: number, nowMs: number): TakeResult {
    if (this.ratePerSecond === 0 || count <= 0) return { ok: true };
    // A clock that steps back refills nothing (and does not drain the bucket).
    if (nowMs > this.lastMs) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.lastMs) * this.ratePerSecond) / 1000);
      this.lastMs = nowMs;
    }
    const cost = Math.min(count, this.burst);
    if (this.tokens >= cost) {
      this.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((cost - this.tokens) * 1000) / this.ratePerSecond) };
  }
}
