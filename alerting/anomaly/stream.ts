import { num } from './state.js';
import type { AnomalyResult, DetectorCore, DetectorSnapshot, StateValue, StreamingDetector } from './types.js';

export interface StreamOptions {
  /** The series is a monotonic counter: score its per-second rate; a drop is a reset (one missing rate). */
  counter?: boolean;
  /** Largest gap, in cadence slots, that is replayed as missing slots (keeps seasonal phase). */
  maxGapSlots?: number;
}

/**
 * Wraps a DetectorCore with everything every detector needs and none should re-implement:
 * strict ordering, non-finite values as missing, gaps replayed as missing slots so seasonal
 * detectors keep their phase, and counter-to-rate conversion.
 */
export class GuardedDetector implements StreamingDetector {
  readonly kind: string;
  private lastTs = Number.NEGATIVE_INFINITY;
  private step = 0;
  private lastRaw = Number.NaN;
  private lastLower = Number.NaN;
  private lastUpper = Number.NaN;
  private readonly counter: boolean;
  private readonly maxGapSlots: number;
  private readonly out: AnomalyResult = { score: 0, lower: Number.NaN, upper: Number.NaN };

  constructor(
    private readonly core: DetectorCore,
    options: StreamOptions = {},
    state?: { [key: string]: StateValue },
  ) {
    this.kind = core.kind;
    this.counter = options.counter ?? false;
    this.maxGapSlots = options.maxGapSlots ?? 1000;
    if (state !== undefined) {
      this.lastTs = num(state, 'lastTs');
      this.step = num(state, 'step');
      this.lastRaw = num(state, 'lastRaw');
      this.lastLower = num(state, 'lastLower');
      this.lastUpper = num(state, 'lastUpper');
    }
  }

  update(timestampMs: number, value: number): AnomalyResult {
    if (!(timestampMs > this.lastTs)) return { score: 0, lower: this.lastLower, upper: this.lastUpper };
    const delta = timestampMs - this.lastTs;
    const first = this.lastTs === Number.NEGATIVE_INFINITY;
    this.lastTs = timestampMs;
    if (!first) this.replayGap(delta);

    let v = value;
    if (this.counter) {
      const prev = this.lastRaw;
      this.lastRaw = Number.isFinite(value) ? value : prev;
      // A counter that went down was reset; the increase across a reset is unknowable (the value
      // at the moment of the crash is lost), so that interval counts as missing, not as a dip.
      v = Number.isFinite(prev) && Number.isFinite(value) && !first && value >= prev ? (value - prev) / (delta / 1000) : Number.NaN;
    }
    if (!Number.isFinite(v)) {
      this.core.skip();
      return { score: 0, lower: this.lastLower, upper: this.lastUpper };
    }
    const out = this.out;
    out.score = 0;
    out.lower = Number.NaN;
    out.upper = Number.NaN;
    this.core.observe(v, out, timestampMs);
    if (!(out.score >= 0)) out.score = 0;
    else if (out.score > 1) out.score = 1;
    this.lastLower = out.lower;
    this.lastUpper = out.upper;
    return { score: out.score, lower: out.lower, upper: out.upper };
  }

  /** Learn the cadence from the deltas; a delta of k steps means k − 1 slots went missing. */
  private replayGap(delta: number): void {
    if (this.step === 0) {
      this.step = delta;
      return;
    }
    const slots = Math.round(delta / this.step);
    if (slots <= 0) {
      this.step = delta; // faster cadence than thought: adopt it
      return;
    }
    if (slots === 1) {
      this.step += 0.05 * (delta - this.step); // follow slow jitter
      return;
    }
    const missing = Math.min(slots - 1, this.maxGapSlots);
    for (let i = 0; i < missing; i++) this.core.skip();
  }

  snapshot(): DetectorSnapshot {
    return {
      kind: this.kind,
      config: { ...this.core.config(), counter: this.counter, maxGapSlots: this.maxGapSlots },
      state: {
        core: this.core.state(),
        lastTs: this.lastTs,
        step: this.step,
        lastRaw: this.lastRaw,
        lastLower: this.lastLower,
        lastUpper: this.lastUpper,
      },
    };
  }
}
