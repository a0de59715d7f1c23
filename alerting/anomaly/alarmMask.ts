import { num } from './state.js';
import type { StateValue } from './types.js';

/**
 * One event pages once: after an alarm (score ≥ 0.5) scores are halved for `mask` points, unless the
 * raw statistic reaches `escape` × the one that raised it (a bigger event). RecordCalibrator applies
 * it to its own scores; the detector applies one to a combination of calibrations, since masking
 * each by its own alarms would let one calibration's private alarm hide the combined one.
 */
export class AlarmMask {
  /** Points seen (scored or skipped). */
  private count = 0;
  private lastFire = Number.NEGATIVE_INFINITY;
  private firedRaw = 0;

  constructor(
    private readonly cfg: { mask: number; escape: number },
    state?: { [key: string]: StateValue },
  ) {
    if (state !== undefined) {
      this.count = num(state, 't');
      this.lastFire = num(state, 'lastFire');
      this.firedRaw = num(state, 'firedRaw');
    }
  }

  /** Points seen so far (scored or skipped). */
  get t(): number {
    return this.count;
  }

  apply(score: number, raw: number): number {
    let s = score;
    if (this.count - this.lastFire < this.cfg.mask && raw < this.cfg.escape * this.firedRaw) s *= 0.5;
    else if (s >= 0.5) {
      this.lastFire = this.count;
      this.firedRaw = raw;
    }
    this.count++;
    return s;
  }

  skip(): void {
    this.count++;
  }

  reset(): void {
    this.count = 0;
    this.lastFire = Number.NEGATIVE_INFINITY;
    this.firedRaw = 0;
  }

  state(): { [key: string]: StateValue } {
    return { t: this.count, lastFire: this.lastFire, firedRaw: this.firedRaw };
  }
}
