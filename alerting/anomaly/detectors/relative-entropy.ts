import { RecordCalibrator, calibrationDefaults } from '../calibrate.js';
import { Ring } from '../ring.js';
import { num, nums, obj } from '../state.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Relative entropy of the value distribution (after Wang et al. 2011): the histogram of the last
 * `window` values is compared with a bounded set of remembered "normal" histograms by KL divergence.
 * The statistic is 2·w·KL to the closest one (χ²-distributed under "same distribution"); a window
 * that matches nothing within the χ² bound is remembered as a new hypothesis, evicting the rarest.
 */
export const relativeEntropyDefaults = { window: 52, bins: 6, hypotheses: 16, chi2: 15.09, ...calibrationDefaults };
export type RelativeEntropyConfig = typeof relativeEntropyDefaults;

export class RelativeEntropyDetector implements DetectorCore {
  readonly kind = 'relative-entropy';
  private readonly cfg: RelativeEntropyConfig;
  private readonly cal: RecordCalibrator;
  private hist: Ring;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  /** Remembered histograms (probabilities, flattened) and how often each matched. */
  private hyp: number[] = [];
  private hits: number[] = [];
  private readonly cur: Float64Array;

  constructor(config: Partial<RelativeEntropyConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...relativeEntropyDefaults, ...config };
    this.hist = new Ring(this.cfg.window);
    this.cur = new Float64Array(this.cfg.bins);
    if (state !== undefined) {
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(this.cfg.window, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
      this.lo = num(state, 'lo');
      this.hi = num(state, 'hi');
      this.hyp = [...nums(state, 'hyp')];
      this.hits = [...nums(state, 'hits')];
    }
    this.cal = new RecordCalibrator(this.cfg, state === undefined ? undefined : obj(state, 'cal'));
  }

  observe(x: number, out: AnomalyResult): void {
    const c = this.cfg;
    this.hist.push(x);
    // The bins span everything seen so far (never future values).
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    let raw = 0;
    if (this.hist.count === c.window && this.hi > this.lo) {
      this.histogram();
      let best = Number.POSITIVE_INFINITY;
      let bestIdx = -1;
      for (let h = 0; h < this.hits.length; h++) {
        let kl = 0;
        for (let b = 0; b < c.bins; b++) {
          const p = this.cur[b] as number;
          kl += p * Math.log(p / (this.hyp[h * c.bins + b] as number));
        }
        if (kl < best) {
          best = kl;
          bestIdx = h;
        }
      }
      raw = bestIdx < 0 ? 0 : 2 * c.window * best;
      if (bestIdx >= 0 && raw <= c.chi2) this.hits[bestIdx] = (this.hits[bestIdx] as number) + 1;
      else this.remember();
    }
    out.score = this.cal.score(raw);
  }

  /** Histogram of the window with a small pseudo-count so KL stays finite. */
  private histogram(): void {
    const c = this.cfg;
    this.cur.fill(0.5 / c.window);
    const width = (this.hi - this.lo) / c.bins;
    for (let i = 1; i <= c.window; i++) {
      const v = this.hist.back(i);
      if (!Number.isFinite(v)) continue;
      const b = Math.min(c.bins - 1, Math.floor((v - this.lo) / width));
      this.cur[b] = (this.cur[b] as number) + 1;
    }
    let total = 0;
    for (let b = 0; b < c.bins; b++) total += this.cur[b] as number;
    for (let b = 0; b < c.bins; b++) this.cur[b] = (this.cur[b] as number) / total;
  }

  private remember(): void {
    const c = this.cfg;
    let slot = this.hits.length;
    if (slot >= c.hypotheses) {
      slot = 0;
      for (let h = 1; h < this.hits.length; h++) if ((this.hits[h] as number) < (this.hits[slot] as number)) slot = h;
    } else {
      this.hits.push(0);
      for (let b = 0; b < c.bins; b++) this.hyp.push(0);
    }
    this.hits[slot] = 1;
    for (let b = 0; b < c.bins; b++) this.hyp[slot * c.bins + b] = this.cur[b] as number;
  }

  skip(): void {
    this.cal.skip();
    this.hist.push(Number.NaN);
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return { hist: this.hist.toState(), lo: this.lo, hi: this.hi, hyp: [...this.hyp], hits: [...this.hits], cal: this.cal.state() };
  }
}
