import { num } from './state.js';
import type { StateValue } from './types.js';

/**
 * One event pages once: after an alarm (score ≥ 0.5) scores are halved for `mask` points, unless the
 * raw statistic reaches `escape` × the one that raised it (a bigger event). The same rule as inside
 * RecordCalibrator, kept apart so that it applies once to a combination of calibrations: masking
 * each by its own alarms would let one calibration's private alarm hide the combined one.
 */
export class AlarmMask {
  private t = 0;
  private lastFire = Number.NEGATIVE_INFINITY;
  private firedRaw = 0;

  constructor(
    private readonly cfg: { mask: number; escape: number },
    state?: { [key: string]: StateValue },
  ) {
    if (state !== undefined) {
      this.t = num(state, 't');
      this.lastFire = num(state, 'lastFire');
      this.firedRaw = num(state, 'firedRaw');
    }
  }

  apply(score: number, raw: number): number {
    let s = score;
    if (this.t - this.lastFire < this.cfg.mask && raw < this.cfg.escape * this.firedRaw) s *= 0.5;
    else if (s >= 0.5) {
      this.lastFire = this.t;
      this.firedRaw = raw;
    }
    this.t++;
    return s;
  }

  skip(): void {
    this.t++;
  }

  reset(): void {
    this.t = 0;
    this.lastFire = Number.NEGATIVE_INFINITY;
    this.firedRaw = 0;
  }

  state(): { [key: string]: StateValue } {
    return { t: this.t, lastFire: this.lastFire, firedRaw: this.firedRaw };
  }
}
