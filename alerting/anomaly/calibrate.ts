import { AlarmMask } from './alarmMask.js';
import { num } from './state.js';
import type { StateValue } from './types.js';

export interface CalibrationConfig {
  /** Per-point decay of the running maximum: memory of ~1/(1 − decay) points. */
  decay: number;
  /** Points seen before any score is emitted (the maximum needs history to mean anything). */
  warmup: number;
  /** After an alarm, scores are halved for this many points: one event should page once. */
  mask: number;
  /** …unless the new deviation is this many times the one that raised the alarm: a bigger event. */
  escape: number;
  /** How far above the record a deviation must be to score 0.5 (a tie with the record is not news). */
  margin: number;
  /**
   * Points (from the start, or from a reset) during which the record does not decay: the learning
   * period's extremes stand until it ends, rather than fading while the series is still being learnt.
   */
  hold?: number;
}

export const calibrationDefaults: CalibrationConfig = { decay: 0.999, warmup: 150, mask: 50, escape: 2, margin: 1.05 };

/**
 * Turns a raw deviation statistic (≥ 0, any scale) into a score in [0, 1] that means the same on
 * every series: r = raw / (margin × decaying maximum of earlier raw values), score = r³ / (1 + r³). A score of
 * 0.5 or more means "a new record for this series", which is what makes one global threshold work
 * across series of different scale and noise, and makes alarms rarer on series that prove noisy.
 * A score of 0.75 means the event is ~1.44× the largest recent one: the suggested alert level.
 */
export class RecordCalibrator {
  private max = 0;
  /** Counts the points (for warm-up and hold) and damps repeat alarms; its state is ours, flat. */
  private readonly alarms: AlarmMask;

  constructor(
    private readonly cfg: CalibrationConfig,
    state?: { [key: string]: StateValue },
  ) {
    this.alarms = new AlarmMask(cfg, state);
    if (state !== undefined) this.max = num(state, 'max');
  }

  score(raw: number): number {
    const x = raw >= 0 ? Math.min(raw, 1e12) : 0;
    let s = 0;
    const t = this.alarms.t;
    if (t >= this.cfg.warmup && this.max === 0 && x > 0) {
      s = 1; // the first deviation of a series that never deviated (a flat line that moves)
    } else if (t >= this.cfg.warmup && this.max > 0) {
      // r³/(1 + r³): 0.5 at a tie with the record, ~0.77 at 1.5×, ~0.89 at 2× — so that the score
      // separates "a bit above anything lately" from "far above", which r/(1 + r) barely did.
      const r3 = (x / (this.max * this.cfg.margin)) ** 3;
      s = r3 / (1 + r3);
    }
    const decay = t < (this.cfg.hold ?? 0) ? 1 : this.cfg.decay;
    this.max = Math.max(this.max * decay, x);
    return this.alarms.apply(s, x);
  }

  /** Forget the history (the statistic changed meaning): warm up again from scratch. */
  reset(): void {
    this.max = 0;
    this.alarms.reset();
  }

  /** A slot without data still counts toward the mask and warm-up. */
  skip(): void {
    this.alarms.skip();
  }

  state(): { [key: string]: StateValue } {
    return { max: this.max, ...this.alarms.state() };
  }
}
