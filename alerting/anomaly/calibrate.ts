import { num } from './state.js';
import type { StateValue } from './types.js';

export interface CalibrationConfig {
  /** Per-point decay of the running maximum: memory of ~1/(1 − decay) points. */
  decay: number;
  /** Points seen before any score is emitted (the maximum needs history to mean anything). */
  warmup: number;
  /** After an alarm, scores are halved for this many points: one event should page once. */
  mask: number;
}

export const calibrationDefaults: CalibrationConfig = { decay: 0.999, warmup: 150, mask: 50 };

/**
 * Turns a raw deviation statistic (≥ 0, any scale) into a score in [0, 1] that means the same on
 * every series: r = raw / (decaying maximum of earlier raw values), score = r / (1 + r). A score of
 * 0.5 or more means "a new record for this series", which is what makes one global threshold work
 * across series of different scale and noise, and makes alarms rarer on series that prove noisy.
 */
export class RecordCalibrator {
  private max = 0;
  private t = 0;
  private lastFire = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cfg: CalibrationConfig,
    state?: { [key: string]: StateValue },
  ) {
    if (state !== undefined) {
      this.max = num(state, 'max');
      this.t = num(state, 't');
      this.lastFire = num(state, 'lastFire');
    }
  }

  score(raw: number): number {
    const x = raw >= 0 ? Math.min(raw, 1e12) : 0;
    let s = 0;
    if (this.t >= this.cfg.warmup && this.max > 0) {
      const r = x / this.max;
      s = r / (1 + r);
    }
    this.max = Math.max(this.max * this.cfg.decay, x);
    if (this.t - this.lastFire < this.cfg.mask) s *= 0.5;
    else if (s >= 0.5) this.lastFire = this.t;
    this.t++;
    return s;
  }

  /** A slot without data still counts toward the mask and warm-up. */
  skip(): void {
    this.t++;
  }

  state(): { [key: string]: StateValue } {
    return { max: this.max, t: this.t, lastFire: this.lastFire };
  }
}
