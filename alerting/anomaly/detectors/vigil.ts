import { detectPeriod } from '../period.js';
import { Ring } from '../ring.js';
import { num, nums, obj } from '../state.js';
import { SortedWindow, robustScale } from '../stats.js';
import type { AnomalyResult, DetectorCore, StateValue } from '../types.js';

/**
 * Vigil's default detector. Three cheap views of "unusual", each O(window) per point at worst:
 *  - level:    distance of the value from the windowed median, in robust (IQR) sigmas;
 *  - seasonal: distance of the value from the same phase one period ago (period found by ACF),
 *              in robust sigmas of recent seasonal residuals;
 *  - shift:    distance of the short-window mean from the windowed median, in sigmas of a mean.
 * Each view is calibrated against its own history as a ratio to its decaying running maximum:
 * an event is anomalous when it is a new record for this series. That makes one threshold work
 * across series of any scale and noise, and makes alarms rarer as a series proves itself noisy.
 * After an alarm the output is damped for `mask` points, because one event should page once.
 */
export const vigilDefaults = {
  window: 256,
  seasonWindow: 128,
  shortWindow: 8,
  periodBuffer: 2048,
  periodEvery: 512,
  decay: 0.999,
  warmup: 150,
  mask: 50,
};
export type VigilConfig = typeof vigilDefaults;

const FEATURES = 3;

export class VigilDetector implements DetectorCore {
  readonly kind = 'vigil';
  private readonly cfg: VigilConfig;
  private level: SortedWindow;
  private resid: SortedWindow;
  private hist: Ring;
  private period = 0;
  private t = 0;
  private lastFire = Number.NEGATIVE_INFINITY;
  private maxes = new Float64Array(FEATURES);

  constructor(config: Partial<VigilConfig> = {}, state?: { [key: string]: StateValue }) {
    this.cfg = { ...vigilDefaults, ...config };
    const c = this.cfg;
    this.level = new SortedWindow(c.window);
    this.resid = new SortedWindow(c.seasonWindow);
    this.hist = new Ring(c.periodBuffer);
    if (state !== undefined) {
      const lv = obj(state, 'level');
      this.level = SortedWindow.fromState(c.window, nums(lv, 'ring'), num(lv, 'pos'), num(lv, 'count'));
      const rs = obj(state, 'resid');
      this.resid = SortedWindow.fromState(c.seasonWindow, nums(rs, 'ring'), num(rs, 'pos'), num(rs, 'count'));
      const h = obj(state, 'hist');
      this.hist = Ring.fromState(c.periodBuffer, nums(h, 'buf'), num(h, 'pos'), num(h, 'count'));
      this.period = num(state, 'period');
      this.t = num(state, 't');
      this.lastFire = num(state, 'lastFire');
      this.maxes.set(nums(state, 'maxes'));
    }
  }

  observe(x: number, out: AnomalyResult): void {
    const c = this.cfg;
    const f = this.features(x, out);
    let score = 0;
    if (this.t >= c.warmup) {
      for (let i = 0; i < FEATURES; i++) {
        const m = this.maxes[i] as number;
        const r = m > 0 ? (f[i] as number) / m : 0;
        const s = r / (1 + r);
        if (s > score) score = s;
      }
    }
    for (let i = 0; i < FEATURES; i++) this.maxes[i] = Math.max((this.maxes[i] as number) * c.decay, f[i] as number);
    if (this.t - this.lastFire < c.mask) score *= 0.5;
    else if (score >= 0.5) this.lastFire = this.t;
    out.score = score;
    this.learn(x);
  }

  private readonly f = new Float64Array(FEATURES);

  private features(x: number, out: AnomalyResult): Float64Array {
    const c = this.cfg;
    const f = this.f;
    f.fill(0);
    if (this.level.count >= 8) {
      const med = this.level.quantile(0.5);
      const scale = robustScale(this.level, med);
      f[0] = Math.min(Math.abs(x - med) / scale, 1e6);
      // Mean of the current value and the previous shortWindow − 1 held values (missing ones skipped).
      let sum = x;
      let k = 1;
      for (let lag = 1; lag < c.shortWindow; lag++) {
        const v = this.hist.back(lag);
        if (Number.isFinite(v)) {
          sum += v;
          k++;
        }
      }
      f[2] = Math.min((Math.abs(sum / k - med) / scale) * Math.sqrt(k), 1e6);
      out.lower = med - 3 * scale;
      out.upper = med + 3 * scale;
    }
    if (this.period > 0) {
      const prev = this.hist.back(this.period);
      if (Number.isFinite(prev)) {
        const r = x - prev;
        if (this.resid.count >= 8) {
          const med = this.resid.quantile(0.5);
          const scale = robustScale(this.resid, prev);
          f[1] = Math.min(Math.abs(r - med) / scale, 1e6);
          out.lower = prev + med - 3 * scale;
          out.upper = prev + med + 3 * scale;
        }
        this.resid.push(r);
      }
    }
    return f;
  }

  private learn(x: number): void {
    this.level.push(x);
    this.pushHist(x);
  }

  skip(): void {
    this.pushHist(Number.NaN);
  }

  private pushHist(x: number): void {
    this.hist.push(x);
    this.t++;
    if (this.t % this.cfg.periodEvery === 0 && this.hist.count >= 64) this.redetectPeriod();
  }

  /** Re-run period detection over the history; missing slots carry the last value forward. */
  private redetectPeriod(): void {
    const h = this.hist.toArray();
    let last = 0;
    for (let i = 0; i < h.length; i++) {
      if (Number.isFinite(h[i] as number)) last = h[i] as number;
      else h[i] = last;
    }
    const p = detectPeriod(h);
    if (p !== this.period) {
      this.period = p;
      this.resid = new SortedWindow(this.cfg.seasonWindow);
      this.maxes[1] = 0;
    }
  }

  config(): { [key: string]: StateValue } {
    return { ...this.cfg };
  }

  state(): { [key: string]: StateValue } {
    return {
      level: this.level.toState(),
      resid: this.resid.toState(),
      hist: this.hist.toState(),
      period: this.period,
      t: this.t,
      lastFire: this.lastFire,
      maxes: Array.from(this.maxes),
    };
  }
}
